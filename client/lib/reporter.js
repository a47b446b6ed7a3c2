// The scheduler's reporter: makes every reportable epoch's report on chain equal its file in
// `<source>/<model_id>/<epoch>.json`, on every new block, through crashes and node restarts.
//
// The chain is the state. Each pass reads, per model, the pool's finality frontier and, per
// reportable epoch with a file, `epoch_reward(e)` and `provider_shards(id, e)`; it sends only
// the difference (plan.js), each transaction dry-run first, mortal, and waited for in its block
// before the next. Nothing the process remembers decides what to send: what it keeps in memory
// only silences repeated log lines and caches facts that cannot change (a past epoch's stake).
import { readFileSync, statSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { providerIdBytes, showBytes, UserError, formatFunc } from './codec.js';
import { DEFAULT_URL, bestBlock, connect, signerFromUri, sleep } from './chain.js';
import { ContractError, describeError } from './errors.js';
import { Suite, deploymentPath, readDeployment } from './suite.js';
import { loadBundles, defaultArtifactsDir } from './bundles.js';
import { BOUNDS } from './limits.js';
import { fingerprint, listSource, readReport } from './reporter/source.js';
import { describeBatch, planEpoch, rewardOf } from './reporter/plan.js';
import { dryRunAndSend } from './reporter/send.js';
import { createMetrics, funcFloat, serveMetrics } from './reporter/metrics.js';

export { parseReport, listSource, readReport } from './reporter/source.js';
export { planEpoch } from './reporter/plan.js';

/** A pass runs at least this often even without a new block (retries, new files on an idle dev chain). */
const IDLE_PASS_MS = 30_000;
/** How many epochs of the latest total the unreserved funding should cover before a warning. */
export const FUNDING_WARN_EPOCHS = 3n;

function hasMessage(handle, name) {
  try {
    handle.message(name);
    return true;
  } catch {
    return false;
  }
}

/** Runs `fn` over `items`, at most `limit` at a time, keeping the order of the results. */
async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next;
      next += 1;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

const variantOf = (outcome) => outcome?.error?.variant ?? null;
/** Words for a refusal: the contract's sentence, else the dispatch error's. */
const reasonOf = (outcome) => outcome?.reason ?? 'refused';

/** "0.0123 UNIT" from base units of the chain's native token. */
export function formatNative(api, units) {
  if (units === null || units === undefined) return 'unknown';
  const decimals = api.registry.chainDecimals?.[0] ?? 12;
  const symbol = api.registry.chainTokens?.[0] ?? 'UNIT';
  const v = BigInt(units);
  const one = 10n ** BigInt(decimals);
  const frac = (v % one).toString().padStart(decimals, '0').slice(0, 6).replace(/0+$/, '');
  return `${v / one}${frac ? `.${frac}` : ''} ${symbol}`;
}

/** Whether a secret given on the command line is acceptable: on a development or local chain only. */
export function suriOnCommandLineAllowed(chainType) {
  return chainType === 'Development' || chainType === 'Local';
}

export class Reporter {
  /**
   * @param {object} o
   * @param {import('@polkadot/api').ApiPromise} o.api
   * @param {Suite} o.suite (its signer is the scheduler key)
   * @param {string} o.source the directory of `<model_id>/<epoch>.json` files
   * @param {(line: string) => void} [o.log]
   * @param {ReturnType<typeof createMetrics>} [o.metrics]
   */
  constructor({ api, suite, source, log = (l) => process.stdout.write(`${l}\n`), metrics = createMetrics(), inclusionTimeoutMs = 120_000, url = '' }) {
    this.api = api;
    this.suite = suite;
    this.signer = suite.signer;
    this.source = resolvePath(source);
    this.out = log;
    this.metrics = metrics;
    this.inclusionTimeoutMs = inclusionTimeoutMs;
    this.url = url;
    this.said = new Map(); // key → true: a message already logged (bad input, refusals, waits)
    this.notStaked = new Set(); // `${model}:${epoch}:${id}`: the pool said NotStakedInEpoch (a past stake cannot change)
    this.finalChecked = new Map(); // path → hash of the version of a final epoch's file already compared
    this.suspended = new Map(); // model → boolean, for the "suspended"/"resumed" lines
    this.lastReported = new Map(); // model → epoch (metrics only)
    this.fundingWarned = new Map(); // model → epoch of the last funding warning
    this.health = { connected: true, lastPassAt: 0, lastPassOk: false, lastError: null, block: 0, epoch: 0 };
    this.stopping = false;
  }

  log(line) {
    this.out(`${new Date().toISOString()} ${line}`);
  }

  /** Logs `line` once per `key` (a changed file has a new key, so it is named again). */
  once(key, line) {
    if (this.said.has(key)) return false;
    this.said.set(key, true);
    this.log(line);
    return true;
  }

  fail(model, kind) {
    this.metrics.failures.inc({ model: String(model ?? ''), kind });
  }

  /** Transactions of our key still in the node's pool (sent before a crash or a timeout). */
  async chainNonce() {
    return (await this.api.query.system.account(this.signer.address)).nonce.toNumber();
  }

  async pendingOwnTransactions() {
    const [next, account] = await Promise.all([this.api.rpc.system.accountNextIndex(this.signer.address), this.api.query.system.account(this.signer.address)]);
    return next.toNumber() - account.nonce.toNumber();
  }

  /**
   * One pass over every model directory. Returns a summary:
   * `{ sent, epochs: [{ model, epoch, path, state }], badInput: [...], refused: [...], failed: [...], waiting: [...] }`
   * where an epoch's `state` is `equal`, `sent`, `bad`, `partial` (a provider skipped),
   * `refused`, `failed` or `waiting`.
   */
  async pass({ send = true } = {}) {
    const summary = { sent: 0, epochs: [], badInput: [], refused: [], failed: [], waiting: [], block: 0, current: 0 };
    const block = await bestBlock(this.api);
    summary.block = block;
    const current = Number(await this.suite.epoch.query('current_epoch'));
    summary.current = current;
    this.metrics.currentEpoch.set(current);
    this.metrics.bestBlock.set(block);
    const pending = await this.pendingOwnTransactions();
    let canSend = send;
    if (pending > 0) {
      canSend = false;
      this.once(`pending:${pending}:${await this.chainNonce()}`, `waiting: ${pending} transaction(s) of ${this.signer.address} are still in the node's pool (sent before a restart or a timeout); nothing is sent until they are in a block or expire`);
    }
    const src = listSource(this.source);
    for (const p of src.ignored) this.once(`ignored:${p.path}`, `ignored ${p.path}: ${p.reason}`);
    for (const p of src.problems) {
      if (this.once(`problem:${p.path}:${p.reason}`, `skipped ${p.path}: ${p.reason}`)) this.fail('', 'bad_input');
      summary.badInput.push({ path: p.path, reason: p.reason });
    }
    const ctx = { current, canSend, summary };
    for (const model of src.models) {
      await this.passModel(model, ctx);
      if (this.stopping) break;
    }
    this.health.block = block;
    this.health.epoch = current;
    return summary;
  }

  async passModel({ modelId, dir, epochs }, ctx) {
    const { current, summary } = ctx;
    const label = String(modelId);
    let pool;
    try {
      pool = await this.suite.pool(modelId);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      const reason = `unknown model ${modelId}: the router has no staking pool for it, so its ${epochs.length} file(s) are not reported`;
      if (this.once(`unknown-model:${modelId}:${epochs.length}`, `skipped ${dir}: ${reason}`)) this.fail(label, 'bad_input');
      summary.badInput.push({ path: dir, reason });
      return;
    }
    // Answers are decoded with the bundle's ABI: a pool running other code (an upgrade the
    // bundles do not follow) could be misread, so nothing is sent to it.
    const bundleHash = this.suite.bundles?.provider_staking?.source?.hash;
    const info = await this.api.query.contracts.contractInfoOf(pool.address);
    const codeHash = info.isSome ? info.unwrap().codeHash.toHex() : null;
    if (bundleHash && codeHash && codeHash.toLowerCase() !== String(bundleHash).toLowerCase()) {
      const reason = `model ${modelId}'s pool runs code ${codeHash}, not the provider_staking bundle's ${bundleHash}: its answers could be misread, so nothing is sent to it (point --artifacts at the bundles of the deployed code)`;
      if (this.once(`code:${pool.address}:${codeHash}:${bundleHash}`, `error: ${reason}`)) this.fail(label, 'refused');
      for (const f of epochs.filter((x) => x.epoch < current)) summary.refused.push({ path: f.path, reason });
      return;
    }
    const [finalizedThrough, funding, suspendedView] = await Promise.all([
      pool.query('finalized_through').then(Number),
      pool.query('reward_funding'),
      hasMessage(pool, 'reports_suspended') ? pool.query('reports_suspended') : Promise.resolve(false),
    ]);
    this.noteSuspended(modelId, Boolean(suspendedView));
    // A pool without the report frontier (before issue 17) does not keep an empty report: there,
    // no report on chain is what an empty file asks for.
    const keepsEmpty = hasMessage(pool, 'reported_through');
    const m = { modelId, label, pool, finalizedThrough, current, registered: null, latestTotal: null, latestEpoch: 0, keepsEmpty };

    // Files of final epochs: compared once per version; a difference is refused in the log.
    for (const f of epochs.filter((x) => x.epoch <= finalizedThrough && x.epoch > finalizedThrough - 100)) {
      await this.checkFinal(m, f);
    }
    let stopModel = null; // a refusal that holds for every later epoch of this pool
    for (const f of epochs.filter((x) => x.epoch > finalizedThrough && x.epoch < current)) {
      const entry = { model: modelId, epoch: f.epoch, path: f.path, state: 'equal' };
      summary.epochs.push(entry);
      const file = readReport(f.path);
      if (!file.ok) {
        entry.state = 'bad';
        if (this.once(`bad:${f.path}:${file.hash}`, `skipped ${f.path}: ${file.reason} (model ${modelId}, epoch ${f.epoch})`)) this.fail(label, 'bad_input');
        summary.badInput.push({ path: f.path, reason: file.reason });
        continue;
      }
      if (f.epoch >= m.latestEpoch) {
        m.latestEpoch = f.epoch;
        m.latestTotal = file.report.total;
      }
      const skipped = [...file.report.shards.keys()].filter((id) => this.notStaked.has(`${modelId}:${f.epoch}:${id}`));
      const report = this.withoutProviders(file.report, skipped);
      const chain = await this.readEpoch(m, f.epoch, report);
      const reward = chain.reward ?? (report.empty && !m.keepsEmpty ? { total: 0n, total_shards: 0n, recorded_shards: 0n } : null);
      const plan = planEpoch({ report, reward, chainShards: chain.shards });
      if (plan.unnamed > 0n) {
        this.once(
          `unnamed:${f.path}:${file.hash}:${plan.unnamed}`,
          `model ${modelId} epoch ${f.epoch}: ${plan.unnamed} recorded shard(s) belong to providers that are neither in ${f.path} nor registered any more; they cannot be named, so they stay`,
        );
      }
      if (plan.equal || plan.steps.length === 0) {
        entry.state = skipped.length ? 'partial' : plan.equal ? 'equal' : 'refused';
        if (skipped.length) summary.badInput.push({ path: f.path, reason: `provider(s) ${skipped.join(', ')} held no stake in epoch ${f.epoch}` });
        if (!plan.equal && !skipped.length) summary.refused.push({ path: f.path, reason: 'shards of unnamed providers' });
        continue;
      }
      if (stopModel) {
        entry.state = 'waiting';
        summary.waiting.push({ path: f.path, reason: stopModel });
        continue;
      }
      if (this.suspended.get(modelId)) {
        entry.state = 'waiting';
        summary.waiting.push({ path: f.path, reason: 'reports are suspended' });
        continue;
      }
      if (!ctx.canSend) {
        entry.state = 'waiting';
        summary.waiting.push({ path: f.path, reason: 'own transactions still pending' });
        continue;
      }
      const r = await this.applyPlan(m, f, file, plan, skipped, summary);
      entry.state = r.state;
      if (r.stopModel) stopModel = r.stopModel;
      if (this.stopping) return;
    }
    this.updateModelMetrics(m, funding, summary);
  }

  withoutProviders(report, ids) {
    if (!ids.length) return report;
    const shards = new Map([...report.shards].filter(([id]) => !ids.includes(id)));
    const sum = [...shards.values()].reduce((a, b) => a + b, 0n);
    return { ...report, shards, sum };
  }

  /** `epoch_reward(e)` and `provider_shards(id, e)` of the file's ids (and of the model's registered ids when the sums say someone else holds shards). */
  async readEpoch(m, epoch, report) {
    const reward = rewardOf(await m.pool.query('epoch_reward', [epoch]));
    const ids = [...report.shards.keys()];
    const shards = new Map();
    const read = async (id) => shards.set(id, BigInt(await m.pool.query('provider_shards', [providerIdBytes(id), epoch])));
    await mapLimit(ids, 8, read);
    const known = [...shards.values()].reduce((a, b) => a + b, 0n);
    if (reward && reward.recorded_shards > known) {
      // Someone not in the file holds shards (a provider removed from the file): find them
      // among the model's registered ids.
      const others = (await this.registeredIds(m)).filter((id) => !shards.has(id));
      const extra = new Map();
      await mapLimit(others, 8, async (id) => {
        const n = BigInt(await m.pool.query('provider_shards', [providerIdBytes(id), epoch]));
        if (n > 0n) extra.set(id, n);
      });
      for (const [id, n] of extra) shards.set(id, n);
    }
    return { reward, shards };
  }

  /** The model's registered ids (`get_provider_ids_by_model` pages: a cursor page, or a plain list on older registries). */
  async registeredIds(m) {
    if (m.registered) return m.registered;
    const ids = new Set();
    let start = 0;
    for (let pages = 0; pages < 10_000; pages += 1) {
      const page = await this.suite.registry.query('get_provider_ids_by_model', [m.modelId, start, 100]);
      if (Array.isArray(page)) {
        for (const b of page) ids.add(showBytes(b));
        if (page.length < 100) break;
        start += 100;
      } else {
        for (const b of page?.ids ?? []) ids.add(showBytes(b));
        if (page?.next_start === null || page?.next_start === undefined) break;
        start = Number(page.next_start);
      }
    }
    m.registered = [...ids];
    return m.registered;
  }

  /** A final epoch: its report can no longer change; a file that differs is refused in the log. */
  async checkFinal(m, f) {
    let hash = null;
    try {
      hash = `${statSync(f.path).mtimeMs}`;
    } catch {
      return;
    }
    const seen = this.finalChecked.get(f.path);
    if (seen === hash) return;
    const file = readReport(f.path);
    this.finalChecked.set(f.path, hash);
    if (!file.ok) return; // a bad file of a final epoch changes nothing
    const reward = rewardOf(await m.pool.query('epoch_reward', [f.epoch]));
    const diffs = [];
    if (!reward) {
      if (!file.report.empty) diffs.push('the chain has no report of it');
    } else {
      if (reward.total !== file.report.total) diffs.push(`total ${reward.total} on chain, ${file.report.total} in the file`);
      if (reward.total_shards !== file.report.totalShards) diffs.push(`total_shards ${reward.total_shards} on chain, ${file.report.totalShards} in the file`);
      if (reward.recorded_shards !== file.report.sum) diffs.push(`${reward.recorded_shards} shards recorded on chain, ${file.report.sum} in the file`);
    }
    if (!diffs.length) {
      // The pool keeps the shards of a final epoch only until they are folded: compare what it still has.
      for (const [id, n] of file.report.shards) {
        const have = BigInt(await m.pool.query('provider_shards', [providerIdBytes(id), f.epoch]));
        if (have !== 0n && have !== n) diffs.push(`${id} has ${have} shards on chain, ${n} in the file`);
      }
    }
    if (diffs.length) {
      const said = this.once(
        `final:${f.path}:${file.hash}`,
        `refused ${f.path}: model ${m.modelId} epoch ${f.epoch} is final on chain (finalized through epoch ${m.finalizedThrough}) and the file differs (${diffs.join('; ')}); nothing sent`,
      );
      if (said) this.fail(m.label, 'final');
    } else if (f.epoch > (this.lastReported.get(m.modelId) ?? 0)) {
      this.lastReported.set(m.modelId, f.epoch);
    }
  }

  /** Sends the plan's steps in order; stops the epoch at the first refusal. */
  async applyPlan(m, f, file, plan, skipped, summary) {
    const { modelId, label, pool } = m;
    const where = `model ${modelId} epoch ${f.epoch}`;
    let state = skipped.length ? 'partial' : 'sent';
    for (const step of plan.steps) {
      if (this.stopping) return { state: 'waiting' };
      if (step.kind === 'reward') {
        const args = [f.epoch, step.total, step.totalShards];
        const r = await this.sendOne(m, 'set_epoch_reward', args);
        if (!r.ok) return this.refusal(m, f, file, r, summary);
        summary.sent += 1;
        this.metrics.transactions.inc({ model: label, message: 'set_epoch_reward' });
        this.log(
          `${where}: set_epoch_reward(total ${step.total} = ${formatFunc(step.total)}, total_shards ${step.totalShards})${file.report.empty ? ' (empty report)' : ''} in block ${r.blockNumber}, fee ${formatNative(this.api, r.fee)}`,
        );
        continue;
      }
      let batch = step.batch;
      while (batch.length) {
        const args = [f.epoch, batch.map(([id, n]) => [providerIdBytes(id), n])];
        const r = await this.sendOne(m, 'record_provider_shards', args);
        if (r.ok) {
          summary.sent += 1;
          this.metrics.transactions.inc({ model: label, message: 'record_provider_shards' });
          this.log(
            `${where}: record_provider_shards(${batch.length} provider(s): ${describeBatch(batch)}) in block ${r.blockNumber}, fee ${formatNative(this.api, r.fee)}`,
          );
          break;
        }
        if (variantOf(r.outcome) === 'NotStakedInEpoch') {
          const id = showBytes(r.outcome.error.value?.id ?? []);
          const inBatch = batch.some(([x]) => x === id);
          this.notStaked.add(`${modelId}:${f.epoch}:${id}`);
          const said = this.once(
            `notstaked:${f.path}:${file.hash}:${id}`,
            `skipped provider ${id} in ${f.path}: ${describeError('StakingError', r.outcome.error)} (NotStakedInEpoch); the other providers of model ${modelId} epoch ${f.epoch} are reported`,
          );
          if (said) this.fail(label, 'bad_input');
          summary.badInput.push({ path: f.path, reason: `provider ${id} held no stake in epoch ${f.epoch}` });
          state = 'partial';
          if (!inBatch) return this.refusal(m, f, file, r, summary);
          batch = batch.filter(([x]) => x !== id);
          continue;
        }
        return this.refusal(m, f, file, r, summary);
      }
    }
    return { state };
  }

  async sendOne(m, name, args) {
    const r = await dryRunAndSend(m.pool, name, args, this.signer, { timeoutMs: this.inclusionTimeoutMs });
    if (r.ok && r.fee !== null && r.fee !== undefined) this.metrics.fees.inc(Number(r.fee));
    return r;
  }

  /** Logs a refusal of the pool once per file version and reason; tells the caller how far it holds. */
  refusal(m, f, file, r, summary) {
    const variant = variantOf(r.outcome);
    const reason = reasonOf(r.outcome);
    const where = `model ${m.modelId} epoch ${f.epoch}`;
    if (variant === 'ReportsSuspended') {
      this.noteSuspended(m.modelId, true);
      summary.waiting.push({ path: f.path, reason: 'reports are suspended' });
      return { state: 'waiting', stopModel: 'reports are suspended' };
    }
    if (variant === 'EpochFinalized') {
      if (this.once(`final:${f.path}:${file.hash}`, `refused ${f.path}: ${where} is final on chain (${reason}); the file differs from the chain and nothing was sent`)) {
        this.fail(m.label, 'final');
      }
      summary.refused.push({ path: f.path, reason });
      return { state: 'refused' };
    }
    const included = r.included ? ` (the transaction reverted in block ${r.included.blockNumber})` : '';
    const said = this.once(`refused:${f.path}:${file.hash}:${reason}`, `error: ${where}: the pool refused the report of ${f.path}: ${reason}${included}; this epoch is retried on the next block`);
    if (said || r.included) this.fail(m.label, r.included ? 'tx_failed' : 'refused');
    (r.included ? summary.failed : summary.refused).push({ path: f.path, reason });
    if (variant === 'Access') return { state: 'refused', stopModel: reason };
    if (variant === 'TooManyOpenEpochs') return { state: 'refused', stopModel: reason };
    return { state: r.included ? 'failed' : 'refused' };
  }

  noteSuspended(modelId, now) {
    const before = this.suspended.get(modelId) ?? false;
    this.suspended.set(modelId, now);
    this.metrics.suspended.set({ model: String(modelId) }, now ? 1 : 0);
    if (now && !before) this.log(`model ${modelId}: reports are suspended on the pool (reports_suspended); waiting, nothing is sent until the owner resumes them`);
    if (!now && before) this.log(`model ${modelId}: reports resumed on the pool; catching up`);
  }

  updateModelMetrics(m, funding, summary) {
    const label = m.label;
    const mine = summary.epochs.filter((e) => e.model === m.modelId);
    // on chain as its file says: found equal, or every step just sent and included
    const done = mine.filter((e) => e.state === 'equal' || e.state === 'sent').map((e) => e.epoch);
    const last = Math.max(this.lastReported.get(m.modelId) ?? 0, ...done, 0);
    // An epoch counts as reported once it is on chain as its file says.
    this.lastReported.set(m.modelId, last);
    this.metrics.lastReported.set({ model: label }, last);
    this.metrics.epochsBehind.set({ model: label }, Math.max(0, m.current - 1 - last));
    this.metrics.pending.set({ model: label }, mine.filter((e) => e.state !== 'equal' && e.state !== 'partial').length);
    const balance = BigInt(funding?.balance ?? 0);
    const reserved = BigInt(funding?.reserved ?? 0);
    const unreserved = balance > reserved ? balance - reserved : 0n;
    this.metrics.fundingBalance.set({ model: label }, funcFloat(balance));
    this.metrics.fundingReserved.set({ model: label }, funcFloat(reserved));
    this.metrics.fundingUnreserved.set({ model: label }, funcFloat(unreserved));
    if (m.latestTotal && m.latestTotal > 0n) {
      this.metrics.fundingEpochsLeft.set({ model: label }, Number((unreserved * 1000n) / m.latestTotal) / 1000);
      if (unreserved < FUNDING_WARN_EPOCHS * m.latestTotal && this.fundingWarned.get(m.modelId) !== m.current) {
        this.fundingWarned.set(m.modelId, m.current);
        this.log(
          `warning: model ${m.modelId}: the pool's unreserved reward funding ${formatFunc(unreserved)} covers fewer than ${FUNDING_WARN_EPOCHS} epochs of the latest total ${formatFunc(m.latestTotal)} (epoch ${m.latestEpoch}); fund it (func fund-rewards --model ${m.modelId} --amount …) before reports fail with InsufficientRewardFunding`,
        );
      }
    }
  }

  /** Health for /health: ok while connected and a pass completed in the last 90 s. */
  healthReport() {
    const age = this.health.lastPassAt ? (Date.now() - this.health.lastPassAt) / 1000 : null;
    const ok = this.health.connected && this.health.lastPassOk && age !== null && age < 90;
    return {
      ok,
      connected: this.health.connected,
      best_block: this.health.block,
      current_epoch: this.health.epoch,
      last_pass_seconds_ago: age === null ? null : Math.round(age),
      last_error: this.health.lastError,
      scheduler: this.signer.address,
      last_reported_epoch: Object.fromEntries(this.lastReported),
    };
  }

  /**
   * The daemon: a pass on every new block, on every change in the source directory and at least
   * every 30 s; stops when `signal` aborts.
   */
  async run({ signal, pollMs = 1_000 } = {}) {
    let lastBlock = -1;
    let lastPrint = '';
    let lastPassAt = 0;
    let wake = null;
    const nudge = () => wake?.();
    let unsubHeads = null;
    const subscribe = async () => {
      try {
        unsubHeads = await this.api.rpc.chain.subscribeNewHeads(nudge);
      } catch {
        unsubHeads = null; // polling still runs
      }
    };
    // The provider says "disconnected" at every failed reconnection attempt: log the change only.
    this.api.on('disconnected', () => {
      if (!this.health.connected) return;
      this.health.connected = false;
      this.metrics.connected.set(0);
      this.log(`lost the connection to the node${this.url ? ` at ${this.url}` : ''}; reconnecting (nothing is sent meanwhile)`);
    });
    this.api.on('connected', () => {
      if (this.health.connected) return;
      this.health.connected = true;
      this.metrics.connected.set(1);
      this.log(`reconnected to the node${this.url ? ` at ${this.url}` : ''}; catching up`);
      nudge();
    });
    this.metrics.connected.set(this.api.isConnected ? 1 : 0);
    await subscribe();
    signal?.addEventListener('abort', () => {
      this.stopping = true;
      nudge();
    });
    while (!signal?.aborted) {
      if (this.api.isConnected) {
        try {
          const block = await bestBlock(this.api);
          const print = fingerprint(this.source);
          if (block !== lastBlock || print !== lastPrint || Date.now() - lastPassAt > IDLE_PASS_MS) {
            await this.pass();
            lastBlock = block;
            lastPrint = print;
            lastPassAt = Date.now();
            this.health.lastPassAt = lastPassAt;
            this.health.lastPassOk = true;
            this.health.lastError = null;
            this.metrics.lastPass.set(Math.floor(lastPassAt / 1000));
          }
        } catch (e) {
          const msg = e?.message ?? String(e);
          this.health.lastPassOk = false;
          this.health.lastError = msg;
          this.fail('', 'pass_error');
          this.once(`pass-error:${msg}:${lastBlock}`, `error: the pass stopped: ${msg}; the chain is read again on the next block`);
          lastPassAt = Date.now();
        }
      }
      if (signal?.aborted) break;
      await new Promise((r) => {
        const t = setTimeout(r, pollMs);
        wake = () => {
          clearTimeout(t);
          r();
        };
      });
      wake = null;
    }
    try {
      unsubHeads?.();
    } catch {
      // gone with the connection
    }
  }

  /**
   * `--once`: passes until one sends nothing (at most 4), waiting up to `waitMs` for own
   * transactions still in the pool. Returns the last pass's summary with `ok` (every reportable
   * epoch with a file is on chain as the file says).
   */
  async runOnce({ waitMs = 60_000 } = {}) {
    const deadline = Date.now() + waitMs;
    while ((await this.pendingOwnTransactions()) > 0 && Date.now() < deadline) await sleep(1_000);
    let summary;
    for (let i = 0; i < 4; i += 1) {
      summary = await this.pass();
      if (summary.sent === 0) break;
    }
    const notOnChain = summary.epochs.filter((e) => e.state !== 'equal');
    summary.ok = notOnChain.length === 0 && !summary.badInput.length && !summary.refused.length && !summary.failed.length && !summary.waiting.length;
    summary.notOnChain = notOnChain;
    return summary;
  }
}

// --- the command ----------------------------------------------------------------------------

/** The scheduler key: `--suri-file`, else `--suri` (development chains only), else `FUNC_SURI`. */
export async function reporterSigner(api, { suri, suriFile, env = process.env }) {
  if (suriFile) {
    let text;
    try {
      text = readFileSync(suriFile, 'utf8').trim();
    } catch (e) {
      throw new UserError(`cannot read --suri-file ${suriFile}: ${e.code ?? e.message}`);
    }
    if (!text) throw new UserError(`--suri-file ${suriFile} is empty`);
    return { signer: signerFromUri(text), from: `--suri-file ${suriFile}` };
  }
  if (suri) {
    const chainType = (await api.rpc.system.chainType()).type;
    if (!suriOnCommandLineAllowed(chainType)) {
      throw new UserError(
        `--suri puts the scheduler key on the command line, where other users of this machine can read it; it is accepted on a development chain only (this chain's type is ${chainType}): use FUNC_SURI=… or --suri-file <file>`,
      );
    }
    return { signer: signerFromUri(suri), from: '--suri (development chain)' };
  }
  if (env.FUNC_SURI) return { signer: signerFromUri(env.FUNC_SURI), from: 'FUNC_SURI' };
  throw new UserError('no scheduler key: set FUNC_SURI or pass --suri-file <file> (--suri is accepted on a development chain only)');
}

/** Connects, retrying every 5 s in daemon mode until `signal` aborts. */
async function connectPatiently(url, { patient, log, signal }) {
  let said = false;
  for (;;) {
    try {
      return await connect(url, { timeoutMs: patient ? 10_000 : 30_000 });
    } catch (e) {
      if (!patient || !(e instanceof UserError)) throw e;
      if (!said) log(`${new Date().toISOString()} cannot reach the node at ${url} (${e.message}); retrying every 5 s`);
      said = true;
      if (signal?.aborted) throw e;
      await sleep(5_000);
    }
  }
}

/**
 * `func reporter --url <ws> --deployment <file> --source <dir> [--once] [--metrics-port <port>]`.
 * Resolves when the daemon stops (SIGTERM/SIGINT), or after one pass with `--once` (throws a
 * UserError — exit 1 — for bad input, a ContractError — exit 2 — when the chain refused or a
 * transaction failed, so cron sees it).
 */
export async function reporterCommand(values, { url, deploymentFile, env = process.env, log = (l) => process.stdout.write(`${l}\n`) } = {}) {
  const source = values.source;
  if (!source) throw new UserError('missing --source <dir> (the directory of <model_id>/<epoch>.json files)');
  try {
    if (!statSync(source).isDirectory()) throw new Error('not a directory');
  } catch (e) {
    throw new UserError(`--source ${source} is not a readable directory (${e.code ?? e.message})`);
  }
  const once = Boolean(values.once);
  let metricsPort = null;
  if (values['metrics-port'] !== undefined) {
    metricsPort = Number(values['metrics-port']);
    if (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535) throw new UserError(`--metrics-port must be a port number, got "${values['metrics-port']}"`);
  }
  const deployment = readDeployment(deploymentFile);
  const bundles = loadBundles(values.artifacts ?? defaultArtifactsDir());
  await cryptoWaitReady();
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  const api = await connectPatiently(url, { patient: !once, log, signal: controller.signal });
  let server = null;
  try {
    if (deployment.genesisHash && deployment.genesisHash !== api.genesisHash.toHex()) {
      throw new UserError(`the deployment file ${deploymentFile} is for another chain (genesis ${deployment.genesisHash}, the node at ${url} has ${api.genesisHash.toHex()})`);
    }
    const { signer, from } = await reporterSigner(api, { suri: values.suri, suriFile: values['suri-file'], env });
    const suite = new Suite(api, signer, bundles, deployment);
    const metrics = createMetrics();
    const reporter = new Reporter({ api, suite, source, log, metrics, url });
    if (metricsPort !== null) {
      server = await serveMetrics({ port: metricsPort, host: values['metrics-host'] ?? '127.0.0.1', metrics, health: () => reporter.healthReport() });
      log(`${new Date().toISOString()} metrics on http://${values['metrics-host'] ?? '127.0.0.1'}:${server.address().port}/metrics and /health`);
    }
    reporter.log(`reporter ${once ? 'pass' : 'started'}: scheduler ${signer.address} (key from ${from}), source ${reporter.source}, node ${url}`);
    if (once) {
      const s = await reporter.runOnce();
      const lines = s.notOnChain.map((e) => `model ${e.model} epoch ${e.epoch} (${e.state})`);
      if (!lines.length) lines.push(...new Set(s.refused.map((r) => r.reason)));
      if (s.ok) {
        reporter.log(`done: every reportable epoch with a file is on chain (${s.epochs.length} epoch(s), ${s.sent} transaction(s) sent)`);
        return s;
      }
      const msg = `not on chain as the files say: ${lines.join(', ') || 'none'}${s.badInput.length ? `; ${s.badInput.length} bad input(s) named above` : ''}`;
      if (s.refused.length || s.failed.length || s.waiting.length) throw new ContractError(msg);
      throw new UserError(msg);
    }
    await reporter.run({ signal: controller.signal });
    reporter.log('reporter stopped');
    return null;
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    if (server) await new Promise((r) => server.close(r));
    await api.disconnect().catch(() => {});
  }
}

export const REPORTER_USAGE = `func reporter — the scheduler's daemon: reports every ended epoch from files, through crashes

Usage: func reporter --url WS --deployment FILE --source DIR [--once] [--metrics-port PORT]

  --source DIR          <DIR>/<model_id>/<epoch>.json files:
                        {"total": "<FUNC base units>", "total_shards": N, "shards": {"<provider id>": n, …}}
  --once                one pass (for cron): exit 0 only if every reportable epoch with a file is on
                        chain as the file says; 1 bad input (named in the log), 2 the chain refused
                        or a transaction failed
  --metrics-port PORT   serve /health and /metrics (Prometheus) on 127.0.0.1:PORT
  --metrics-host HOST   listen address for them (default 127.0.0.1)
  --url WS              node (default $FUNC_URL or ${DEFAULT_URL})
  --deployment FILE     deployment file (default $FUNC_DEPLOYMENT or deployments/<network>.json)
  --network NAME        deployment name (default $FUNC_NETWORK or "local")
  --artifacts DIR       .contract bundles (default $CARGO_TARGET_DIR/ink or target/ink)

The scheduler key: --suri-file FILE (the secret URI or mnemonic, one line), or the FUNC_SURI
environment variable; --suri URI is accepted on a development chain only.
`;

const CLI_OPTIONS = {
  url: { type: 'string' },
  deployment: { type: 'string' },
  network: { type: 'string' },
  artifacts: { type: 'string' },
  source: { type: 'string' },
  once: { type: 'boolean' },
  'metrics-port': { type: 'string' },
  'metrics-host': { type: 'string' },
  suri: { type: 'string' },
  'suri-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

/** `func reporter …` (bin/func.js hands over its arguments). */
export async function runReporterCli(argv, env = process.env) {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: CLI_OPTIONS, allowPositionals: false, strict: true }));
  } catch (e) {
    throw new UserError(`${e.message.replace(/\. To specify a positional.*$/s, '')} (see func reporter --help)`);
  }
  if (values.help) {
    process.stdout.write(REPORTER_USAGE);
    return null;
  }
  const url = values.url ?? env.FUNC_URL ?? DEFAULT_URL;
  const deploymentFile = values.deployment ?? env.FUNC_DEPLOYMENT ?? deploymentPath(values.network ?? env.FUNC_NETWORK ?? 'local');
  return reporterCommand(values, { url, deploymentFile, env });
}
