// What the gateway measured, per epoch, model and provider, and the policy that turns an
// ended epoch's usage into the reporter's input file.
//
// Layout under the usage directory <dir>:
//   <dir>/usage/<model_id>/<epoch>.json   the counters (rewritten while the epoch's requests run)
//   <dir>/usage/state.json                 the first epoch this gateway served, per model
//   <dir>/<model_id>/<epoch>.json          the reporter's input, once the epoch has ended
// Every file is written to a temporary file, synced, then renamed over the old one.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

// --- files -----------------------------------------------------------------------------------

/** Writes `text` to `path` atomically: a temporary file in the same folder, fsync, rename. */
export function writeFileAtomic(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

const HELD_LOCKS = new Set(); // lock files this process holds (a lock with our pid that we do not hold is stale: a restart in a container reuses pids)

function readJson(path) {
  if (!existsSync(path)) return null;
  return JSON.parse(readFileSync(path, 'utf8'));
}

// --- latency -------------------------------------------------------------------------------

/**
 * Latency histogram with logarithmic buckets (each 10 % wider than the last, from 0.1 ms):
 * percentiles within 10 %, mergeable and small enough to persist as `{bucket: count}`.
 */
export class LatencyHistogram {
  static BASE_MS = 0.1;
  static RATIO = 1.1;

  constructor(counts = {}) {
    this.counts = new Map(Object.entries(counts).map(([k, v]) => [Number(k), Number(v)]));
    this.total = [...this.counts.values()].reduce((a, b) => a + b, 0);
  }

  static bucketOf(ms) {
    if (!(ms > LatencyHistogram.BASE_MS)) return 0;
    return Math.ceil(Math.log(ms / LatencyHistogram.BASE_MS) / Math.log(LatencyHistogram.RATIO));
  }

  static upperBound(bucket) {
    return LatencyHistogram.BASE_MS * LatencyHistogram.RATIO ** bucket;
  }

  add(ms) {
    const b = LatencyHistogram.bucketOf(ms);
    this.counts.set(b, (this.counts.get(b) ?? 0) + 1);
    this.total += 1;
  }

  /** The `q`-quantile (0..1) in ms: the upper bound of the bucket that holds it; null when empty. */
  quantile(q) {
    if (this.total === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (const b of [...this.counts.keys()].sort((x, y) => x - y)) {
      seen += this.counts.get(b);
      if (seen >= rank) return Math.round(LatencyHistogram.upperBound(b) * 100) / 100;
    }
    return null;
  }

  toJSON() {
    return Object.fromEntries([...this.counts.entries()].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v]));
  }
}

// --- counters ----------------------------------------------------------------------------------

function emptyCounters() {
  return { requests: 0, successes: 0, failures: 0, client_errors: 0, aborted: 0, bytes_in: 0, bytes_out: 0, errors: {}, hist: new LatencyHistogram() };
}

function countersFromJson(j) {
  const c = emptyCounters();
  for (const k of ['requests', 'successes', 'failures', 'client_errors', 'aborted', 'bytes_in', 'bytes_out']) c[k] = Number(j?.[k] ?? 0);
  c.errors = { ...(j?.errors ?? {}) };
  c.hist = new LatencyHistogram(j?.latency_hist ?? {});
  return c;
}

function countersToJson(c) {
  return {
    requests: c.requests,
    successes: c.successes,
    failures: c.failures,
    client_errors: c.client_errors,
    aborted: c.aborted,
    bytes_in: c.bytes_in,
    bytes_out: c.bytes_out,
    errors: c.errors,
    latency_ms: { p50: c.hist.quantile(0.5), p90: c.hist.quantile(0.9), p99: c.hist.quantile(0.99) },
    latency_hist: c.hist.toJSON(),
  };
}

/**
 * The reporter's input for one ended epoch from its usage — the documented policy:
 * shards = each provider's successful requests (providers with none are left out),
 * total_shards = their sum, total = the configured per-epoch reward (FUNC base units) when
 * there is at least one shard, else "0" (an empty report: `{"total":"0","total_shards":0,"shards":{}}`).
 */
export function reportFromUsage(usage, epochReward = 0n) {
  const shards = {};
  let totalShards = 0;
  for (const [id, c] of Object.entries(usage?.providers ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const n = Number(c.successes ?? 0);
    if (n > 0) {
      shards[id] = n;
      totalShards += n;
    }
  }
  return { total: totalShards > 0 ? BigInt(epochReward).toString() : '0', total_shards: totalShards, shards };
}

/**
 * Per-epoch usage of the gateway, kept in memory and persisted as it goes (`flush`, every few
 * seconds and on SIGTERM). A restart loads the files back, so an epoch's counters survive it;
 * after a SIGKILL at most the requests since the last flush are lost.
 */
export class UsageStore {
  /**
   * @param {object} o
   * @param {string} o.dir the usage directory
   * @param {bigint} [o.epochReward] FUNC base units per epoch and model (0: empty reports)
   * @param {(line: string) => void} [o.log]
   */
  constructor({ dir, epochReward = 0n, log = () => {} }) {
    this.dir = dir;
    this.epochReward = BigInt(epochReward);
    this.log = log;
    this.entries = new Map(); // "model/epoch" → { model_id, epoch, providers: Map, unrouted, dirty, changedAt }
    this.state = readJson(this.statePath()) ?? { models: {} };
    this.lastFlush = null;
    this.written = new Map(); // reporter file path → text last written or read
    this.currentEpoch = null; // the chain's epoch as the gateway last read it
    this.endedDirty = false; // usage of an ended epoch changed (a request that ran across the epoch's end)
  }

  usagePath(model, epoch) {
    return join(this.dir, 'usage', String(model), `${epoch}.json`);
  }

  reportPath(model, epoch) {
    return join(this.dir, String(model), `${epoch}.json`);
  }

  statePath() {
    return join(this.dir, 'usage', 'state.json');
  }

  /** Takes the usage directory for this process (a lock file with the pid); refuses a live owner. */
  lock() {
    const path = join(this.dir, 'usage', 'gateway.lock');
    mkdirSync(dirname(path), { recursive: true });
    for (let i = 0; i < 2; i += 1) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        this.lockPath = path;
        HELD_LOCKS.add(path);
        return;
      } catch (e) {
        if (e.code !== 'EEXIST') throw e;
        const pid = Number(readFileSync(path, 'utf8').trim());
        let alive = HELD_LOCKS.has(path);
        if (pid && pid !== process.pid) {
          try {
            process.kill(pid, 0);
            alive = true;
          } catch (err) {
            alive = err.code === 'EPERM';
          }
        }
        if (alive) throw new Error(`another gateway (pid ${pid}) writes to ${this.dir}: stop it or pick another --usage directory`);
        rmSync(path, { force: true }); // left by a process that died
      }
    }
    throw new Error(`cannot lock ${path}`);
  }

  unlock() {
    if (this.lockPath) {
      rmSync(this.lockPath, { force: true });
      HELD_LOCKS.delete(this.lockPath);
    }
    this.lockPath = null;
  }

  /** Records the first epoch this gateway serves `model` (kept across restarts). */
  noteServing(model, epoch) {
    const key = String(model);
    if (this.state.models[key]?.first_epoch) return false;
    this.state.models[key] = { first_epoch: Number(epoch) };
    writeFileAtomic(this.statePath(), `${JSON.stringify(this.state, null, 2)}\n`);
    return true;
  }

  firstEpoch(model) {
    return this.state.models[String(model)]?.first_epoch ?? null;
  }

  #entry(model, epoch) {
    const key = `${model}/${epoch}`;
    let e = this.entries.get(key);
    if (e) return e;
    e = { model_id: Number(model), epoch: Number(epoch), providers: new Map(), unrouted: 0, dirty: false };
    const path = this.usagePath(model, epoch);
    try {
      const j = readJson(path);
      if (j) {
        for (const [id, c] of Object.entries(j.providers ?? {})) e.providers.set(id, countersFromJson(c));
        e.unrouted = Number(j.unrouted ?? 0);
      }
    } catch (err) {
      // a damaged file (a crash cannot make one: writes are atomic) is kept aside, not lost
      const aside = `${path}.damaged-${Date.now()}`;
      renameSync(path, aside);
      this.log(`usage file ${path} could not be read (${err.message}); moved to ${aside}, counting from zero`);
    }
    this.entries.set(key, e);
    return e;
  }

  /**
   * One attempt sent to a provider: `outcome` is 'success' (2xx/3xx relayed whole),
   * 'client_error' (4xx), 'failure' (connect error, timeout, 5xx, broken stream, too large)
   * or 'aborted' (the client went away); `errorKind` names a failure.
   */
  record({ model, epoch, provider, outcome, errorKind, bytesIn = 0, bytesOut = 0, latencyMs }) {
    const e = this.#entry(model, epoch);
    if (this.currentEpoch !== null && Number(epoch) < this.currentEpoch) this.endedDirty = true;
    let c = e.providers.get(provider);
    if (!c) {
      c = emptyCounters();
      e.providers.set(provider, c);
    }
    c.requests += 1;
    if (outcome === 'success') c.successes += 1;
    else if (outcome === 'client_error') c.client_errors += 1;
    else if (outcome === 'aborted') c.aborted += 1;
    else c.failures += 1;
    if (errorKind) c.errors[errorKind] = (c.errors[errorKind] ?? 0) + 1;
    c.bytes_in += bytesIn;
    c.bytes_out += bytesOut;
    if (latencyMs !== undefined && latencyMs !== null) c.hist.add(latencyMs);
    e.dirty = true;
  }

  /** A request of `model` that found no provider to route to. */
  recordUnrouted(model, epoch) {
    const e = this.#entry(model, epoch);
    e.unrouted += 1;
    e.dirty = true;
  }

  /** The usage of one epoch as JSON (what its file holds). */
  snapshot(model, epoch) {
    const e = this.#entry(model, epoch);
    const providers = {};
    for (const [id, c] of [...e.providers.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) providers[id] = countersToJson(c);
    return { model_id: e.model_id, epoch: e.epoch, unrouted: e.unrouted, providers };
  }

  /** Writes every changed epoch's usage file. Returns how many were written. */
  flush() {
    let n = 0;
    for (const e of this.entries.values()) {
      if (!e.dirty) continue;
      e.dirty = false;
      const snap = this.snapshot(e.model_id, e.epoch);
      writeFileAtomic(this.usagePath(e.model_id, e.epoch), `${JSON.stringify({ ...snap, updated_at: new Date().toISOString() }, null, 2)}\n`);
      n += 1;
    }
    this.lastFlush = new Date().toISOString();
    return n;
  }

  /**
   * Writes the reporter's input for the ended epochs of `model` that are not final on chain:
   * epochs from the first one this gateway served (and above `finalizedThrough`) to
   * `currentEpoch − 1`. A file is rewritten only when its content changes (late requests of an
   * ended epoch correct it until it is final); an epoch at or below `finalizedThrough` is never
   * touched. Returns `[{ epoch, path, report }]` of the files written.
   */
  writeReports(model, { currentEpoch, finalizedThrough }) {
    const first = this.firstEpoch(model);
    if (first === null) return [];
    const out = [];
    const from = Math.max(first, Number(finalizedThrough) + 1);
    for (let epoch = from; epoch < Number(currentEpoch); epoch += 1) {
      const report = reportFromUsage(this.snapshot(model, epoch), this.epochReward);
      const text = `${JSON.stringify(report)}\n`;
      const path = this.reportPath(model, epoch);
      let old = this.written.get(path);
      if (old === undefined && existsSync(path)) old = readFileSync(path, 'utf8');
      if (old === text) {
        this.written.set(path, text);
        continue;
      }
      writeFileAtomic(path, text);
      this.written.set(path, text);
      out.push({ epoch, path, report });
    }
    // forget what is final and written
    for (const [key, e] of this.entries) {
      if (e.model_id === Number(model) && e.epoch <= Number(finalizedThrough) && !e.dirty) this.entries.delete(key);
    }
    return out;
  }

  /** The epochs with a usage file for `model` (ascending). */
  epochsOnDisk(model) {
    const d = join(this.dir, 'usage', String(model));
    if (!existsSync(d)) return [];
    return readdirSync(d)
      .map((f) => /^(\d+)\.json$/.exec(f)?.[1])
      .filter(Boolean)
      .map(Number)
      .sort((a, b) => a - b);
  }
}
