// The routing table: for each model the gateway serves, the active providers and their URLs,
// read from the chain page by page (`get_active_providers`) and refreshed when blocks arrive.
import { showBytes } from '../codec.js';
import { checkHost, parseProviderUrl } from './addresses.js';
import { ProviderState, chooseProvider, DEFAULT_POLICY } from './providers.js';

const PAGE_SIZE = 100; // the registry caps a page at MAX_PAGE_SIZE (100) positions
const MAX_PAGES = 10_000;

/** A model's entry: its name and state from the router, and its providers by id. */
function modelEntry(id) {
  return { id, name: null, enabled: false, exists: false, providers: new Map() };
}

export class RoutingTable {
  /**
   * @param {object} o
   * @param {import('../suite.js').Suite} o.suite connected suite (queries only)
   * @param {number[]|null} [o.models] model ids to serve (null: every model of the router)
   * @param {boolean} [o.allowPrivate] route to loopback/private/link-local targets (dev chains)
   * @param {number} [o.hostCheckTtlMs] how long a DNS check of a provider host stays valid
   */
  constructor({ suite, models = null, allowPrivate = false, hostCheckTtlMs = 60_000, policy = DEFAULT_POLICY, metrics = null, log = () => {}, lookup } = {}) {
    this.suite = suite;
    this.only = models ? new Set(models.map(Number)) : null;
    this.allowPrivate = allowPrivate;
    this.hostCheckTtlMs = hostCheckTtlMs;
    this.policy = policy;
    this.metrics = metrics;
    this.log = log;
    this.lookup = lookup;
    this.models = new Map(); // model id → modelEntry
    this.block = null; // block number the table was read at (or after)
    this.epoch = null; // the chain's current epoch at that block
    this.refreshedAt = null;
    this.refreshes = 0;
    this.lastRefresh = null; // { block, rpcCalls, ms, providers }
    this.lastError = null;
    this.running = null;
    this.pending = null;
  }

  async #q(handle, name, args, counter) {
    counter.calls += 1;
    return handle.query(name, args);
  }

  /** Every model of the router (pages of 100): id → Model. */
  async #readModels(counter) {
    const out = new Map();
    for (let start = 0; ; start += PAGE_SIZE) {
      const page = (await this.#q(this.suite.router, 'get_models', [start, PAGE_SIZE], counter)) ?? [];
      for (const [id, model] of page) out.set(Number(id), model);
      if (page.length < PAGE_SIZE) break;
    }
    return out;
  }

  /**
   * Active providers of `modelId`: a run of `get_active_providers` pages, from start 0 and then
   * each page's `next_start` (an opaque cursor) until it is none.
   */
  async #readActive(modelId, counter) {
    const out = [];
    const seen = new Set();
    let start = 0;
    for (let pages = 0; pages < MAX_PAGES; pages += 1) {
      const page = await this.#q(this.suite.registry, 'get_active_providers', [modelId, start, PAGE_SIZE], counter);
      const items = Array.isArray(page) ? page : page?.providers ?? [];
      for (const p of items) {
        const id = showBytes(p.id ?? p[0]);
        const metadata = p.metadata ?? p[1] ?? '';
        let url = null;
        let name = null;
        try {
          const m = JSON.parse(metadata);
          url = typeof m.url === 'string' ? m.url : null;
          name = typeof m.name === 'string' ? m.name : null;
        } catch {
          // validated on chain; an unreadable one simply has no url
        }
        if (!seen.has(id)) out.push({ id, url, name }); // a run may offer an id twice when the list moves under it
        seen.add(id);
      }
      if (Array.isArray(page)) {
        if (items.length < PAGE_SIZE) break;
        start += PAGE_SIZE;
      } else {
        if (page?.next_start === null || page?.next_start === undefined) break;
        start = Number(page.next_start);
      }
    }
    return out;
  }

  /**
   * Refreshes the table from the chain (one at a time: a refresh asked for while one runs
   * runs once more after it, with the newest block). `block` is the head that triggered it.
   */
  refresh(block) {
    if (this.running) {
      this.pending = Math.max(this.pending ?? 0, block ?? 0);
      return this.running;
    }
    this.running = (async () => {
      try {
        await this.#refreshOnce(block);
        while (this.pending !== null) {
          const next = this.pending;
          this.pending = null;
          await this.#refreshOnce(next);
        }
        return this.lastRefresh;
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async #refreshOnce(block) {
    const t0 = performance.now();
    const counter = { calls: 0 };
    try {
      const [models, epoch] = await Promise.all([this.#readModels(counter), this.#q(this.suite.epoch, 'current_epoch', [], counter)]);
      const served = this.only ? [...this.only] : [...models.keys()];
      const lists = await Promise.all(
        served.map(async (id) => {
          const m = models.get(id);
          // a disabled or unknown model has no active provider: no page to read
          if (!m || !m.enabled) return [id, m, []];
          return [id, m, await this.#readActive(id, counter)];
        }),
      );
      let total = 0;
      for (const [id, m, list] of lists) {
        total += list.length;
        await this.#apply(id, m, list);
      }
      for (const id of [...this.models.keys()]) if (!served.includes(id)) this.models.delete(id);
      const ms = performance.now() - t0;
      if (block !== undefined && block !== null) this.block = Math.max(this.block ?? 0, block);
      this.epoch = Number(epoch);
      this.refreshedAt = Date.now();
      this.refreshes += 1;
      this.lastRefresh = { block: this.block, rpcCalls: counter.calls, ms: Math.round(ms * 10) / 10, providers: total };
      this.lastError = null;
      this.metrics?.refreshSeconds.observe(ms / 1000);
      this.metrics?.refreshRpc.inc(counter.calls);
      this.metrics?.refreshes.inc({ result: 'ok' });
      if (this.block !== null) this.metrics?.block.set(this.block);
      this.metrics?.epoch.set(this.epoch);
      this.#gauges();
      return this.lastRefresh;
    } catch (e) {
      this.lastError = e.message;
      this.metrics?.refreshes.inc({ result: 'failed' });
      this.metrics?.refreshRpc.inc(counter.calls);
      this.log(`routing refresh at block ${block ?? '?'} failed (the table keeps its last state): ${e.message}`);
      throw e;
    }
  }

  async #apply(modelId, model, list) {
    let entry = this.models.get(modelId);
    if (!entry) {
      entry = modelEntry(modelId);
      this.models.set(modelId, entry);
    }
    const was = { enabled: entry.enabled, exists: entry.exists };
    entry.exists = Boolean(model);
    entry.enabled = Boolean(model?.enabled);
    entry.name = model?.name ?? null;
    if (!entry.exists && this.refreshes === 0) this.log(`model ${modelId} does not exist on chain (yet): no provider to route to`);
    if (was.exists && was.enabled !== entry.enabled) this.log(`model ${modelId} (${entry.name}) ${entry.enabled ? 'enabled' : 'disabled'}: its providers ${entry.enabled ? 'may serve again' : 'get no more requests'}`);
    const seen = new Set();
    const checks = [];
    for (const { id, url, name } of list) {
      seen.add(id);
      let p = entry.providers.get(id);
      if (!p) {
        p = new ProviderState({ modelId, id, url, name });
        entry.providers.set(id, p);
        this.log(`provider ${id} (model ${modelId}) joined the routing table: ${url ?? '(no url)'}`);
      } else if (p.url !== url) {
        this.log(`provider ${id} (model ${modelId}) changed its url: ${p.url} → ${url}`);
        this.#clearRefusal(p);
        p.setUrl(url);
      }
      p.name = name;
      if (p.base === null && !p.refused) checks.push(this.#check(p));
      else if (Date.now() - p.hostCheckedAt > this.hostCheckTtlMs) checks.push(this.#check(p));
    }
    // DNS checks of new and expired hosts, 32 at a time
    for (let i = 0; i < checks.length; i += 32) await Promise.all(checks.slice(i, i + 32));
    for (const [id, p] of entry.providers) {
      if (seen.has(id)) continue;
      entry.providers.delete(id);
      this.#clearRefusal(p);
      this.metrics?.suspended.remove({ model: String(modelId), provider: id });
      this.log(`provider ${id} (model ${modelId}) left the routing table: no longer active on chain`);
    }
  }

  #clearRefusal(p) {
    if (p.refused) this.metrics?.refused.remove({ model: String(p.modelId), provider: p.id, reason: p.refused });
  }

  /** Checks a provider's URL and host; sets `base` (routable) or `refused` (with the reason, logged once). */
  async #check(p) {
    const parsed = parseProviderUrl(p.url);
    let reason = parsed.refused ?? null;
    let transient = false;
    if (!reason) {
      const r = await checkHost(parsed.url.hostname, { allowPrivate: this.allowPrivate, lookup: this.lookup });
      reason = r.refused ?? null;
      transient = Boolean(r.transient);
    }
    p.hostCheckedAt = Date.now();
    if (reason) {
      if (p.refused !== reason) {
        this.#clearRefusal(p);
        p.refused = reason;
        p.base = null;
        this.metrics?.refused.set({ model: String(p.modelId), provider: p.id, reason }, 1);
        this.metrics?.refusals.inc({ model: String(p.modelId), provider: p.id });
        this.log(`refused provider ${p.id} (model ${p.modelId}) at ${p.url}: ${reason}${transient ? ' (checked again later)' : ''}${!transient && !parsed.refused && !this.allowPrivate ? '; --allow-private routes to such targets on a dev chain' : ''}`);
      }
      return;
    }
    if (p.refused) {
      this.log(`provider ${p.id} (model ${p.modelId}) at ${p.url} is no longer refused`);
      this.#clearRefusal(p);
      p.refused = null;
    }
    p.base = parsed.url;
  }

  #gauges() {
    if (!this.metrics) return;
    const now = Date.now();
    for (const [id, entry] of this.models) {
      const all = [...entry.providers.values()];
      this.metrics.activeProviders.set({ model: String(id), state: 'active' }, all.length);
      this.metrics.activeProviders.set({ model: String(id), state: 'routable' }, all.filter((p) => p.isRoutable(now)).length);
    }
  }

  /** The model a request names: a model id (number or digits) or the model's name on the router. */
  resolveModel(value) {
    if (typeof value === 'number' && Number.isInteger(value)) return this.models.get(value) ?? null;
    if (typeof value !== 'string' || !value) return null;
    if (/^\d+$/.test(value)) return this.models.get(Number(value)) ?? null;
    for (const m of this.models.values()) if (m.name === value) return m;
    const lower = value.toLowerCase();
    const matches = [...this.models.values()].filter((m) => m.name?.toLowerCase() === lower);
    return matches.length === 1 ? matches[0] : null;
  }

  /** Chooses a provider of `modelId` (see chooseProvider), leaving out `exclude` keys. */
  choose(modelId, exclude = new Set()) {
    const entry = this.models.get(Number(modelId));
    if (!entry) return null;
    return chooseProvider([...entry.providers.values()], { exclude, policy: this.policy });
  }

  /** Every provider state of every model. */
  *all() {
    for (const entry of this.models.values()) yield* entry.providers.values();
  }

  toJSON() {
    const now = Date.now();
    const models = {};
    for (const [id, e] of this.models) {
      const ps = [...e.providers.values()];
      models[id] = {
        name: e.name,
        exists: e.exists,
        enabled: e.enabled,
        active: ps.length,
        routable: ps.filter((p) => p.isRoutable(now)).length,
        suspended: ps.filter((p) => p.isSuspended(now)).length,
        refused: ps.filter((p) => p.refused).length,
        providers: ps.map((p) => p.toJSON(now)),
      };
    }
    return { block: this.block, epoch: this.epoch, refreshed_at: this.refreshedAt ? new Date(this.refreshedAt).toISOString() : null, refreshes: this.refreshes, last_refresh: this.lastRefresh, last_error: this.lastError, models };
  }
}
