// Sending one report transaction: dry-run (the contract's refusal in words, nothing sent),
// then a mortal extrinsic with the dry-run's gas plus a margin, then wait for its block.
import { gasWithMargin } from '../chain.js';
import { ContractError, describeDispatchError, describeRpcError, dispatchErrorKey } from '../errors.js';

/** Blocks a transaction stays valid: one that is stuck expires and the next pass re-plans. */
export const MORTAL_PERIOD = 64;

/**
 * Signs `tx` with a mortal era and submits it; resolves once it is in a block with
 * `{ blockHash, blockNumber, events, fee }`. Rejects with a ContractError on a dispatch error
 * (`err.inclusion` set), on an invalid/dropped transaction, after `timeoutMs`, or when the
 * connection drops meanwhile (the chain is read again on the next pass: nothing is retried here).
 */
export function submitMortal(api, tx, signer, { label, timeoutMs = 120_000, era = MORTAL_PERIOD } = {}) {
  return new Promise((resolve, reject) => {
    let unsub = null;
    let done = false;
    let timer = null;
    const onDisconnect = () => finish(reject, new ContractError(`${label}: the connection to the node dropped before the transaction was seen in a block; the chain decides on the next pass`));
    const finish = (fn, v) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      api.off('disconnected', onDisconnect);
      try {
        unsub?.();
      } catch {
        // the subscription went with the connection
      }
      fn(v);
    };
    timer = setTimeout(
      () => finish(reject, new ContractError(`${label}: not in a block after ${Math.round(timeoutMs / 1000)} s (it stays valid for ${era} blocks; the next pass waits for it)`)),
      timeoutMs,
    );
    api.on('disconnected', onDisconnect);
    tx.signAndSend(signer, { nonce: -1, era }, async (result) => {
      try {
        const st = result.status;
        if (st.isInvalid || st.isDropped || st.isUsurped) return finish(reject, new ContractError(`${label}: the transaction was ${st.type.toLowerCase()} by the node`));
        if (!(st.isInBlock || st.isFinalized)) return undefined;
        const blockHash = st.isInBlock ? st.asInBlock : st.asFinalized;
        const header = await api.rpc.chain.getHeader(blockHash);
        const paid = result.events.find(({ event }) => event.section === 'transactionPayment' && event.method === 'TransactionFeePaid');
        const fee = paid ? BigInt(paid.event.data[1].toString()) : null;
        const out = { blockHash: blockHash.toHex(), blockNumber: header.number.toNumber(), events: result.events, fee };
        if (result.dispatchError) {
          const err = new ContractError(`${label}: ${describeDispatchError(result.dispatchError, api.registry)}`, {
            dispatch: dispatchErrorKey(result.dispatchError, api.registry),
          });
          err.inclusion = out;
          return finish(reject, err);
        }
        return finish(resolve, out);
      } catch (e) {
        return finish(reject, e);
      }
    })
      .then((u) => {
        if (done) u();
        else unsub = u;
      })
      .catch((e) => finish(reject, new ContractError(`${label}: ${describeRpcError(e)}`)));
  });
}

/**
 * Dry-runs `handle.name(args)` as `signer`; if the contract accepts, sends it and waits for its
 * block. Returns `{ ok: true, blockNumber, fee }` or `{ ok: false, outcome }` (the refusal:
 * `outcome.error` is the contract's error `{ variant, value }`, `outcome.reason` its sentence).
 * A transaction that reverts in its block is dry-run again to say why.
 */
export async function dryRunAndSend(handle, name, args, signer, opts = {}) {
  const api = handle.api;
  const { message, data, dry, outcome } = await handle.dryRun(name, args, { origin: signer.address });
  if (!outcome.ok) return { ok: false, outcome };
  const call = api.tx.contracts.call(handle.address, 0, gasWithMargin(api, dry.gasRequired), null, data);
  const label = `${handle.name}.${message.identifier}`;
  try {
    const inc = await submitMortal(api, call, signer, { label, ...opts });
    return { ok: true, blockNumber: inc.blockNumber, blockHash: inc.blockHash, fee: inc.fee };
  } catch (e) {
    if (e instanceof ContractError && e.inclusion) {
      const again = await handle.dryRun(name, args, { origin: signer.address });
      return { ok: false, outcome: again.outcome.ok ? { reason: e.message } : again.outcome, included: e.inclusion };
    }
    throw e;
  }
}
