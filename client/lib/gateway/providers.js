// What the gateway knows of each provider it may route to: measured latency and success,
// passive failure detection, suspension with exponential backoff, and the weighted choice.

/** Tuning of failure detection and choice (every field can be set from the command line). */
export const DEFAULT_POLICY = {
  failureThreshold: 3, // consecutive failed requests that suspend a provider (a refused connection suspends at once)
  backoffBaseMs: 5_000, // first suspension; doubles with each suspension in a row
  backoffMaxMs: 300_000,
  resetAfterSuccesses: 5, // successes in a row after which the next suspension starts from backoffBaseMs again
  latencyAlpha: 0.3, // EWMA weight of a new latency sample
  successAlpha: 0.2, // EWMA weight of a new success/failure sample
  defaultLatencyMs: 100, // latency assumed for a provider never measured, when no other one is either
  latencyOffsetMs: 10, // added to every latency in the weight: differences of a few ms (a GC pause, a busy core) hardly matter
};

/** One provider of one model, as the routing table holds it. */
export class ProviderState {
  constructor({ modelId, id, url, name = null }) {
    this.modelId = Number(modelId);
    this.id = id;
    this.key = `${modelId}/${id}`;
    this.name = name;
    this.setUrl(url);
    this.refused = null; // reason, when the gateway refuses to connect to this provider
    this.latencyMs = null; // EWMA of the time to the response headers
    this.successRate = 1; // EWMA of success (1) and failure (0)
    this.consecutiveFailures = 0;
    this.successesInRow = 0;
    this.suspendedUntil = 0;
    this.backoffLevel = 0;
    this.suspensions = 0;
    this.lastError = null;
    this.inflight = 0;
    this.lastProbeAt = 0;
  }

  setUrl(url) {
    this.url = url;
    this.base = null;
    this.refused = null;
    this.hostCheckedAt = 0;
  }

  /** Suspended until a health check after the backoff (`suspendedUntil`) succeeds. */
  isSuspended() {
    return this.suspendedUntil > 0;
  }

  /** The backoff is over: the next health check may resume it. */
  backoffOver(now = Date.now()) {
    return this.suspendedUntil > 0 && this.suspendedUntil <= now;
  }

  /** Routable: not refused and not suspended. */
  isRoutable(now = Date.now()) {
    return !this.refused && this.base !== null && !this.isSuspended(now);
  }

  observeLatency(ms, policy = DEFAULT_POLICY) {
    this.latencyMs = this.latencyMs === null ? ms : this.latencyMs + policy.latencyAlpha * (ms - this.latencyMs);
  }

  /** A success; returns true when it ended a suspension's probation (backoff reset). */
  onSuccess(latencyMs, policy = DEFAULT_POLICY) {
    if (latencyMs !== undefined && latencyMs !== null) this.observeLatency(latencyMs, policy);
    this.successRate += policy.successAlpha * (1 - this.successRate);
    this.consecutiveFailures = 0;
    this.successesInRow += 1;
    if (this.backoffLevel > 0 && this.successesInRow >= policy.resetAfterSuccesses) {
      this.backoffLevel = 0;
      return true;
    }
    return false;
  }

  /**
   * A failure. `immediate` (a refused connection, a failed health check) suspends at once;
   * otherwise `failureThreshold` failures in a row do. Returns the suspension (`{ ms, until }`)
   * when this failure suspended the provider, else null.
   */
  onFailure(kind, { immediate = false, now = Date.now(), policy = DEFAULT_POLICY } = {}) {
    this.successRate += policy.successAlpha * (0 - this.successRate);
    this.consecutiveFailures += 1;
    this.successesInRow = 0;
    this.lastError = kind;
    if (this.isSuspended(now)) return null;
    if (!immediate && this.consecutiveFailures < policy.failureThreshold) return null;
    return this.suspend(now, policy);
  }

  suspend(now = Date.now(), policy = DEFAULT_POLICY) {
    const ms = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** this.backoffLevel);
    this.backoffLevel += 1;
    this.suspensions += 1;
    this.suspendedUntil = now + ms;
    this.consecutiveFailures = 0;
    return { ms, until: this.suspendedUntil };
  }

  /** Ends a suspension early (a health check after the backoff succeeded). */
  resume() {
    this.suspendedUntil = 0;
    this.successesInRow = 0;
  }

  /** Choice weight: success rate squared over (latency + offset): "high-performing" first. */
  weight(fallbackLatencyMs, offsetMs = DEFAULT_POLICY.latencyOffsetMs) {
    const lat = Math.max(0, this.latencyMs ?? fallbackLatencyMs) + offsetMs;
    return (this.successRate * this.successRate) / Math.max(1, lat);
  }

  toJSON(now = Date.now()) {
    return {
      id: this.id,
      url: this.url,
      name: this.name,
      refused: this.refused,
      suspended: this.isSuspended(now),
      suspended_for_ms: this.isSuspended(now) ? Math.max(0, this.suspendedUntil - now) : 0,
      suspensions: this.suspensions,
      latency_ms: this.latencyMs === null ? null : Math.round(this.latencyMs * 100) / 100,
      success_rate: Math.round(this.successRate * 1000) / 1000,
      last_error: this.lastError,
    };
  }
}

function median(values) {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Picks a provider among `candidates` (ProviderState[]), leaving out the keys in `exclude`:
 * weighted at random by `weight()` among the routable ones; when none is routable, the
 * suspended one whose suspension ends first (a fallback, never a refused provider).
 */
export function chooseProvider(candidates, { exclude = new Set(), now = Date.now(), random = Math.random, policy = DEFAULT_POLICY } = {}) {
  const open = candidates.filter((p) => !exclude.has(p.key) && !p.refused && p.base !== null);
  if (!open.length) return null;
  const routable = open.filter((p) => !p.isSuspended(now));
  if (!routable.length) return open.reduce((a, b) => (b.suspendedUntil < a.suspendedUntil ? b : a));
  const fallback = median(routable.map((p) => p.latencyMs).filter((x) => x !== null)) ?? policy.defaultLatencyMs;
  const weights = routable.map((p) => p.weight(fallback, policy.latencyOffsetMs ?? DEFAULT_POLICY.latencyOffsetMs));
  const total = weights.reduce((a, b) => a + b, 0);
  let r = random() * total;
  for (let i = 0; i < routable.length; i += 1) {
    r -= weights[i];
    if (r <= 0) return routable[i];
  }
  return routable[routable.length - 1];
}
