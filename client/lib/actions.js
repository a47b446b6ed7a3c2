// Preview, then send: what a wallet page needs around the ops.js functions.
//
// `previewAction(suite, fn)` runs `fn(previewSuite)` — e.g. `(s) => ops.stake(s, id)` — on a
// copy of the suite whose contracts dry-run every transaction instead of sending it, and
// records one step per transaction: contract, message, the dry-run's outcome (the predicted
// return value, or the contract's refusal in words), gas, storage deposit and the fee. A first
// step that the contract refuses throws the same ContractError the real call would, so nothing
// is ever sent for it. A later step that fails only because an earlier step has not happened
// yet (the pool's stake after its approval, shard reports after the epoch's total) is kept as
// `dependsOnEarlier` with its current reason: the real call dry-runs it again when its turn comes.
//
// `sendAction(suite, fn)` then runs the same `fn` on a suite that sends, and reports every
// transaction's block, hash and decoded events as it is included.
//
// A signer may be a keyring pair (dev accounts) or `addressSigner(address)` — an address whose
// transactions the api's signer (a browser extension's, `api.setSigner(injected.signer)`) signs.
import { ContractHandle } from './contract.js';
import { gasWithMargin } from './chain.js';
import { plain } from './codec.js';
import { Suite } from './suite.js';

/** A signer for an account whose key lives in a browser extension (set `api.setSigner(...)`). */
export function addressSigner(address, meta = {}) {
  const a = String(address);
  return { address: a, meta, readOnly: Boolean(meta.readOnly), toString: () => a };
}

/** `{ variant: 'Charge'|'Refund', value }` → signed BigInt (a refund is negative). */
export function storageDepositValue(deposit) {
  const d = deposit && typeof deposit === 'object' && 'variant' in deposit ? deposit : plain(deposit);
  if (!d || typeof d !== 'object') return 0n;
  const v = BigInt(d.value ?? 0);
  return d.variant === 'Refund' ? -v : v;
}

/** The fee the chain would charge `origin` for calling `address` with `data` and the dry-run's gas. */
export async function estimateFee(api, origin, address, data, gasRequired, value = 0n) {
  try {
    const call = api.tx.contracts.call(address, value, gasWithMargin(api, gasRequired), null, data);
    const info = await call.paymentInfo(origin);
    return info.partialFee.toBigInt();
  } catch {
    return null; // e.g. an origin the node cannot charge (read-only addresses still get an estimate as a rule)
  }
}

class StepHandle extends ContractHandle {
  constructor(ctx, name, abi, address, recorder) {
    super(ctx, name, abi, address);
    this.recorder = recorder;
  }

  async tx(name, args = [], opts = {}) {
    return this.recorder.mode === 'preview' ? this.#preview(name, args, opts) : this.#send(name, args, opts);
  }

  async #preview(name, args, { signer, value = 0n } = {}) {
    const who = signer ?? this.ctx.signer;
    const { message, data, dry, outcome } = await this.dryRun(name, args, { origin: who.address, value });
    const index = this.recorder.steps.length;
    if (!outcome.ok && index === 0) {
      await this.query(name, args, { origin: who.address, value }); // throws the refusal in words
    }
    const step = {
      index,
      contract: this.name,
      address: this.address,
      message: message.identifier,
      args: message.args.map((a, i) => ({ name: a.name, type: a.type?.displayName ?? a.type?.type, value: args[i] })),
      ok: outcome.ok,
      value: outcome.ok ? outcome.value : undefined,
      reason: outcome.ok ? null : outcome.reason,
      error: outcome.ok ? undefined : outcome.error,
      dependsOnEarlier: !outcome.ok,
      gasRequired: { refTime: dry.gasRequired.refTime.toBigInt(), proofSize: dry.gasRequired.proofSize.toBigInt() },
      storageDeposit: storageDepositValue(dry.storageDeposit),
      fee: await estimateFee(this.api, who.address, this.address, data, dry.gasRequired, value),
    };
    this.recorder.steps.push(step);
    this.recorder.onStep?.(step);
    return { value: step.value, events: [], blockNumber: null, blockHash: null, preview: true };
  }

  async #send(name, args, opts) {
    const index = this.recorder.steps.length;
    const message = this.message(name);
    const step = {
      index,
      contract: this.name,
      address: this.address,
      message: message.identifier,
      args: message.args.map((a, i) => ({ name: a.name, type: a.type?.displayName ?? a.type?.type, value: args[i] })),
      state: 'sending',
    };
    this.recorder.steps.push(step);
    this.recorder.onStep?.(step);
    try {
      const r = await super.tx(name, args, opts);
      Object.assign(step, {
        state: 'included',
        value: r.value,
        blockNumber: r.blockNumber,
        blockHash: r.blockHash,
        events: r.events,
        storageDeposit: storageDepositValue(r.storageDeposit),
      });
      this.recorder.onStep?.(step);
      return r;
    } catch (e) {
      Object.assign(step, { state: 'failed', error: e.message, inclusion: e.inclusion ?? null });
      this.recorder.onStep?.(step);
      throw e;
    }
  }
}

/** A suite whose contract handles preview or send through a recorder. */
class StepSuite extends Suite {
  constructor(base, recorder) {
    super(base.api, base.signer, {}, null); // no bundles: reuse the base suite's parsed ABIs
    this.bundles = base.bundles;
    this.abis = base.abis;
    this.deployment = base.deployment;
    this.recorder = recorder;
    this.events = base.events; // the base suite's decoder knows the pools already met
    for (const [name, h] of Object.entries(base.handles)) this.handles[name] = this.#wrap(name, h.address);
  }

  #wrap(name, address) {
    return new StepHandle(this, name, this.abis[name], address, this.recorder);
  }

  at(name, address) {
    this.events.addAddress(address, name);
    return this.#wrap(name, address);
  }
}

/**
 * Dry-runs every transaction `fn(suite)` would send, sending none.
 * @param {Suite} suite whose `signer` is the account that will sign (a pair or addressSigner)
 * @param {(s: Suite) => Promise<any>} fn usually an ops.js function
 * @returns {Promise<{steps: object[], result: any, fee: bigint|null, storageDeposit: bigint}>}
 *   throws the contract's refusal (ContractError, in words) when the first step is refused
 */
export async function previewAction(suite, fn, { onStep } = {}) {
  const recorder = { mode: 'preview', steps: [], onStep };
  const result = await fn(new StepSuite(suite, recorder));
  const fees = recorder.steps.map((s) => s.fee);
  return {
    steps: recorder.steps,
    result,
    fee: fees.some((f) => f === null) ? null : fees.reduce((a, b) => a + b, 0n),
    storageDeposit: recorder.steps.reduce((a, s) => a + s.storageDeposit, 0n),
  };
}

/**
 * Sends what `fn(suite)` sends (each call dry-run again first), reporting each transaction
 * through `onStep` as it is sent and included. Resolves with `{ steps, result }`; rejects with
 * the refusal in words, `error.steps` listing what was already included.
 */
export async function sendAction(suite, fn, { onStep, onProgress } = {}) {
  const recorder = { mode: 'send', steps: [], onStep };
  try {
    const result = await fn(new StepSuite(suite, recorder), { onProgress });
    return { steps: recorder.steps, result };
  } catch (e) {
    e.steps = recorder.steps;
    throw e;
  }
}

/** True when a (nested) contract error is a token allowance shortfall (what a step after an approve meets in a dry-run). */
export function isAllowanceShortfall(error) {
  if (!error || typeof error !== 'object') return false;
  if (error.variant === 'InsufficientAllowance') return true;
  return isAllowanceShortfall(error.value);
}

/**
 * What a multi-step action needs before its first signature, checked against the account
 * (a preview from previewAction): the FUNC an approve is followed by a pull of, and the native
 * balance for every fee and storage deposit. `[{ kind: 'func'|'native', need, has }]`; empty
 * when the account can pay for every step. Nothing is sent.
 */
export async function preflight(suite, preview) {
  const who = suite.signer.address;
  const problems = [];
  const steps = preview.steps;
  const pulls = steps.filter((s) => s.contract === 'func_token' && /approve$/.test(s.message) && s.index < steps.length - 1);
  if (pulls.length) {
    const need = pulls.reduce((a, s) => a + BigInt(s.args.find((x) => x.name === 'value')?.value ?? 0n), 0n);
    const has = BigInt(await suite.token.query('balance_of', [who]));
    if (has < need) problems.push({ kind: 'func', need, has });
  }
  const need = (preview.fee ?? 0n) + (preview.storageDeposit > 0n ? preview.storageDeposit : 0n);
  const has = (await suite.api.query.system.account(who)).data.free.toBigInt();
  if (has < need) problems.push({ kind: 'native', need, has });
  return problems;
}
