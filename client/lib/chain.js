// Connection, signers, transaction submission and block production on a contracts node.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { UserError } from './codec.js';
import { ContractError, describeDispatchError, describeRpcError, dispatchErrorKey } from './errors.js';

export const DEFAULT_URL = 'ws://127.0.0.1:9944';

/**
 * Connects to `url` (ws:// or wss://). Fails with a clear message when the node does not answer
 * within `timeoutMs` instead of retrying forever.
 */
export async function connect(url = DEFAULT_URL, { timeoutMs = 30_000 } = {}) {
  if (!/^wss?:\/\//.test(url)) throw new UserError(`--url must start with ws:// or wss://, got "${url}"`);
  await cryptoWaitReady();
  const provider = new WsProvider(url, 1_000, {}, timeoutMs);
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new UserError(`cannot reach a node at ${url} within ${timeoutMs / 1000}s`)), timeoutMs);
  });
  try {
    const api = await Promise.race([ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true }), timeout]);
    if (!api.tx.contracts || !api.call.contractsApi) {
      await api.disconnect();
      throw new UserError(`the chain at ${url} has no contracts pallet (pallet-contracts)`);
    }
    return api;
  } catch (e) {
    await provider.disconnect().catch(() => {});
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot connect to ${url}: ${describeRpcError(e)}`);
  } finally {
    clearTimeout(timer);
  }
}

/** A signer from a secret URI: `//Alice`, a mnemonic (optionally with `//derivation`), or a hex seed. */
export function signerFromUri(suri = '//Alice', type = 'sr25519') {
  if (!suri) throw new UserError('no signer: pass --suri (e.g. //Alice or a mnemonic)');
  const keyring = new Keyring({ type });
  try {
    return keyring.addFromUri(suri);
  } catch (e) {
    throw new UserError(`--suri is not a valid secret URI or mnemonic: ${e.message}`);
  }
}

/** Best block number. */
export async function bestBlock(api) {
  return (await api.rpc.chain.getHeader()).number.toNumber();
}

/** Gas for dry-runs: the block's max weight, proof size included (queries otherwise run out of gas). */
export function maxWeight(api) {
  return api.registry.createType('WeightV2', api.consts.system.blockWeights.maxBlock);
}

/**
 * The limit for a transaction: the dry-run's gasRequired plus a margin (the transaction runs
 * one block later than the dry-run), capped at the block's max extrinsic weight.
 */
export function gasWithMargin(api, gasRequired, { percent = 25, extraRefTime = 1_000_000_000n, extraProof = 16_384n } = {}) {
  const max = api.consts.system.blockWeights.perClass?.normal?.maxExtrinsic;
  const maxRef = max?.isSome ? max.unwrap().refTime.toBigInt() : api.consts.system.blockWeights.maxBlock.refTime.toBigInt();
  const maxProof = max?.isSome ? max.unwrap().proofSize.toBigInt() : api.consts.system.blockWeights.maxBlock.proofSize.toBigInt();
  const ref = gasRequired.refTime.toBigInt();
  const proof = gasRequired.proofSize.toBigInt();
  const pad = (v, extra, cap) => {
    const x = v + (v * BigInt(percent)) / 100n + extra;
    return x > cap ? cap : x;
  };
  return api.registry.createType('WeightV2', { refTime: pad(ref, extraRefTime, maxRef), proofSize: pad(proof, extraProof, maxProof) });
}

/**
 * Signs and submits `tx`, resolves once it is in a block with `{ blockHash, blockNumber, events }`
 * (the extrinsic's own events). Rejects with a ContractError in plain words on a dispatch error.
 */
export function submit(api, tx, signer, { label = 'transaction' } = {}) {
  return new Promise((resolve, reject) => {
    let unsub = null;
    let done = false;
    const finish = (fn, v) => {
      if (done) return;
      done = true;
      if (unsub) unsub();
      fn(v);
    };
    tx.signAndSend(signer, { nonce: -1 }, async (result) => {
      try {
        if (result.status.isInvalid || result.status.isDropped || result.status.isUsurped) {
          return finish(reject, new ContractError(`${label}: the transaction was ${result.status.type.toLowerCase()} by the node`));
        }
        if (!(result.status.isInBlock || result.status.isFinalized)) return undefined;
        const blockHash = result.status.isInBlock ? result.status.asInBlock : result.status.asFinalized;
        const header = await api.rpc.chain.getHeader(blockHash);
        const out = { blockHash: blockHash.toHex(), blockNumber: header.number.toNumber(), events: result.events, result };
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

/** True when the node offers manual/instant seal's `engine_createBlock`. */
async function hasCreateBlock(api) {
  if (api._funcHasCreateBlock !== undefined) return api._funcHasCreateBlock;
  try {
    const methods = (await api.rpc.rpc.methods()).methods.map((m) => m.toString());
    api._funcHasCreateBlock = methods.includes('engine_createBlock');
  } catch {
    api._funcHasCreateBlock = false;
  }
  return api._funcHasCreateBlock;
}

/**
 * Produces `n` blocks on a dev chain: `engine_createBlock` when offered, else cheap
 * `system.remark` transactions from `signer` (instant seal makes one block per transaction).
 */
export async function advanceBlocks(api, n, signer, { onProgress } = {}) {
  const start = await bestBlock(api);
  for (let i = 0; i < n; i += 1) {
    let made = false;
    if (await hasCreateBlock(api)) {
      try {
        await api.rpc.engine.createBlock(true, true, null);
        made = true;
      } catch {
        api._funcHasCreateBlock = false;
      }
    }
    if (!made) {
      if (!signer) throw new UserError('cannot produce blocks: the node has no engine_createBlock and no signer was given');
      await submit(api, api.tx.system.remark(`func: block ${i + 1}/${n}`), signer, { label: 'system.remark' });
    }
    if (onProgress && n > 3 && (i + 1) % 5 === 0) onProgress(`  … ${i + 1}/${n} blocks`);
  }
  // Wait until the node reports the new head (engine_createBlock returns once imported).
  for (let tries = 0; tries < 50 && (await bestBlock(api)) < start + n; tries += 1) await sleep(100);
  return bestBlock(api);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
