// View models of the FUNC suite for a provider's page (the dapp) and for tests: plain objects
// read through a connected Suite, plus the pure derivations behind them (status of the five
// active conditions, epoch arithmetic, reward rows). Browser-safe: no Node-only imports beyond
// what the bundler shims (see dapp/build.mjs).
import { formatFunc, showBytes, providerIdBytes } from './codec.js';
import { bestBlock } from './chain.js';
import { resolveMessage } from './contract.js';
import { describeError } from './errors.js';
import { ROLES } from './suite.js';
import { LIMITS } from './rules.js';
import * as ops from './ops.js';

/** `handle.tryQuery`, also `{ ok: false }` when the contract (an older or newer build) lacks the message. */
async function maybe(handle, name, args = []) {
  try {
    handle.message(name);
  } catch (e) {
    return { ok: false, reason: e.message };
  }
  return handle.tryQuery(name, args);
}

const num = (v) => (v === null || v === undefined ? null : Number(v));
const big = (v) => (v === null || v === undefined ? 0n : BigInt(v));

// --- time and epochs -------------------------------------------------------------------------

/**
 * Milliseconds per block: the consensus constant when the chain has one (BABE, Aura), else the
 * pace of the last `window` blocks from their timestamps (dev chains seal blocks on demand, so
 * that pace is only "recent"). `{ ms, source: 'consensus'|'recent'|'unknown' }`.
 */
export async function blockTime(api, { window = 20 } = {}) {
  const babe = api.consts.babe?.expectedBlockTime;
  if (babe) return { ms: Number(babe.toString()), source: 'consensus' };
  const aura = api.consts.aura?.slotDuration;
  if (aura) return { ms: Number(aura.toString()), source: 'consensus' };
  try {
    const best = await bestBlock(api);
    const back = Math.min(window, best - 1);
    if (back < 2) return { ms: null, source: 'unknown' };
    const [h1, h0] = await Promise.all([api.rpc.chain.getBlockHash(best), api.rpc.chain.getBlockHash(best - back)]);
    const [t1, t0] = await Promise.all([(await api.at(h1)).query.timestamp.now(), (await api.at(h0)).query.timestamp.now()]);
    const ms = (Number(t1.toString()) - Number(t0.toString())) / back;
    return { ms: ms > 0 ? ms : null, source: ms > 0 ? 'recent' : 'unknown' };
  } catch {
    return { ms: null, source: 'unknown' };
  }
}

/** "about 3 minutes", "about 40 seconds", "about 2 hours" (null → null). */
export function aboutDuration(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return null;
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `about ${s} second${s === 1 ? '' : 's'}`;
  const m = Math.round(s / 60);
  if (m < 90) return `about ${m} minute${m === 1 ? '' : 's'}`;
  const h = Math.round(m / 60);
  if (h < 36) return `about ${h} hour${h === 1 ? '' : 's'}`;
  const d = Math.round(h / 24);
  return `about ${d} day${d === 1 ? '' : 's'}`;
}

/**
 * Blocks from `clock.block` until `epoch` starts, with the current epoch length (a scheduled
 * length change is not known here; `loadEpochClock` asks the contract instead when it can).
 * 0 when the epoch has started.
 */
export function blocksUntilEpoch(clock, epoch) {
  const e = Number(epoch);
  if (e <= clock.current_epoch) return 0;
  const toNext = Math.max(0, clock.next_epoch_block - clock.block);
  return toNext + (e - clock.current_epoch - 1) * clock.epoch_length;
}

/** Epoch clock: current epoch, blocks and time to the next, last claimable epoch, parameters. */
export async function loadEpochClock(suite, { time } = {}) {
  const s = await ops.epochStatus(suite);
  const info = s.info ?? {};
  const bt = time ?? (await blockTime(suite.api));
  const clock = {
    block: s.block,
    current_epoch: s.current_epoch,
    next_epoch_block: s.next_epoch_block,
    last_claimable_epoch: s.last_claimable_epoch,
    epoch_length: num(info.epoch_length) ?? num(await suite.epoch.query('epoch_length')),
    min_epochs_locked: num(info.min_epochs_locked) ?? num(await suite.epoch.query('min_epochs_locked')),
    epoch_reward_delay: num(info.epoch_reward_delay) ?? num(await suite.epoch.query('epoch_reward_delay')),
    block_time_ms: bt.ms,
    block_time_source: bt.source,
  };
  clock.blocks_to_next = Math.max(0, clock.next_epoch_block - clock.block);
  clock.ms_to_next = bt.ms === null ? null : clock.blocks_to_next * bt.ms;
  clock.next_in = aboutDuration(clock.ms_to_next);
  return clock;
}

/** When epoch `epoch` starts, seen from `clock`: `{ epoch, blocks, ms, about, reached }`. */
export async function epochEta(suite, clock, epoch) {
  let blocks = blocksUntilEpoch(clock, epoch);
  if (blocks > 0) {
    const start = await maybe(suite.epoch, 'epoch_start_block', [Number(epoch)]);
    if (start.ok && start.value !== null && start.value !== undefined) blocks = Math.max(0, Number(start.value) - clock.block);
  }
  const ms = clock.block_time_ms === null ? null : blocks * clock.block_time_ms;
  return { epoch: Number(epoch), blocks, ms, about: aboutDuration(ms), reached: Number(epoch) <= clock.current_epoch };
}

// --- models --------------------------------------------------------------------------------

/** Every model with its stake requirement, enabled state, pool and number of active providers. */
export async function loadModels(suite, { activeCounts = true } = {}) {
  const count = Number(await suite.router.query('model_count'));
  const models = [];
  for (let start = 0; models.length < count && start <= count + LIMITS.MAX_PAGE_SIZE; start += LIMITS.MAX_PAGE_SIZE) {
    const page = await suite.router.query('get_models', [start, LIMITS.MAX_PAGE_SIZE]);
    if (!page || page.length === 0) break;
    for (const [id, m] of page) models.push({ id: Number(id), ...m, stake_amount: big(m.stake_amount) });
  }
  if (activeCounts) {
    await Promise.all(
      models.map(async (m) => {
        const [active, registered] = await Promise.all([
          ops.activeProviders(suite, m.id, { pageSize: LIMITS.MAX_PAGE_SIZE }),
          maybe(suite.registry, 'provider_count_by_model', [m.id]),
        ]);
        m.active_providers = active.length;
        m.registered_providers = registered.ok ? Number(registered.value) : null;
      }),
    );
  }
  return models;
}

/** One page of a model's active providers, as a gateway reads them (`next_start` null at the end). */
export async function loadActivePage(suite, modelId, start = 0, limit = 10) {
  const page = await suite.registry.query('get_active_providers', [Number(modelId), Number(start), Number(limit)]);
  const items = (Array.isArray(page) ? page : page?.providers ?? []).map((p) => {
    let url = null;
    let name = null;
    try {
      const m = JSON.parse(p.metadata);
      url = typeof m.url === 'string' ? m.url : null;
      name = typeof m.name === 'string' ? m.name : null;
    } catch {
      // validated on-chain; keep the raw text
    }
    return { id: showBytes(p.id), url, name, metadata: p.metadata };
  });
  const next = Array.isArray(page) ? (items.length < limit ? null : Number(start) + Number(limit)) : page?.next_start;
  return { start: Number(start), limit: Number(limit), providers: items, next_start: next === null || next === undefined ? null : Number(next) };
}

// --- account -------------------------------------------------------------------------------

/** FUNC balance, native free balance and the allowance given to each model's pool. */
export async function loadAccount(suite, address, models = null) {
  const list = models ?? (await loadModels(suite, { activeCounts: false }));
  const [func, native, allowances] = await Promise.all([
    ops.balanceOf(suite, address),
    suite.api.query.system.account(address).then((a) => a.data.free.toBigInt()),
    Promise.all(
      list.map(async (m) => ({
        model_id: m.id,
        model_name: m.name,
        pool: m.pool,
        allowance: big(await suite.token.query('allowance', [address, m.pool])),
      })),
    ),
  ]);
  return { address, func, native, allowances };
}

// --- roles ---------------------------------------------------------------------------------

/**
 * The roles `address` holds on each contract that has roles: `{ any, owner: [names], roles:
 * { 'provider_registry': ['Whitelister', …], 'pool:1': ['Scheduler'], … } }`. Contracts without
 * `has_role` are skipped; `owner()` makes the account the owner there (who holds every role).
 */
export async function loadRoles(suite, address, models = null) {
  const list = models ?? (await loadModels(suite, { activeCounts: false }));
  const targets = [];
  for (const name of ['provider_registry', 'model_router', 'epoch_controller', 'func_token']) {
    if (suite.handles[name]) targets.push([name, suite.handles[name]]);
  }
  for (const m of list) targets.push([`pool:${m.id}`, await suite.pool(m.id)]);
  const out = { any: false, owner: [], roles: {} };
  await Promise.all(
    targets.map(async ([key, h]) => {
      const has = (msg) => {
        try {
          h.message(msg);
          return true;
        } catch {
          return false;
        }
      };
      const held = [];
      if (has('owner')) {
        const o = await h.tryQuery('owner');
        if (o.ok && String(o.value) === String(address)) {
          out.owner.push(key);
          held.push(...ROLES);
        }
      }
      if (has('has_role') && held.length === 0) {
        for (const role of ROLES) {
          const r = await h.tryQuery('has_role', [role, address]);
          if (r.ok && r.value === true) held.push(role);
        }
      }
      if (held.length) {
        out.roles[key] = held;
        out.any = true;
      }
    }),
  );
  return out;
}

/** True when `roles` (from loadRoles) gives `role` on contract `key` (`provider_registry`, `pool:1`, …). */
export function holds(roles, key, role) {
  return Boolean(roles?.roles?.[key]?.includes(role));
}

/** Pause state of every pausable contract: `[{ key, name, address, paused }]`. */
export async function loadPauseStates(suite, models) {
  const targets = [];
  for (const name of ['provider_registry', 'model_router', 'epoch_controller']) if (suite.handles[name]) targets.push([name, suite.handles[name]]);
  for (const m of models) targets.push([`pool:${m.id}`, await suite.pool(m.id)]);
  const out = [];
  for (const [key, h] of targets) {
    const r = await maybe(h, 'paused');
    if (r.ok) out.push({ key, name: h.name, address: h.address, paused: r.value === true });
  }
  return out;
}

// --- providers -----------------------------------------------------------------------------

/**
 * Which of the five active conditions fail, in words. Pure.
 * @param {object} p `{ info, staked, required, model_enabled, current_epoch }` (info = get_provider)
 * @returns {{ active: boolean, problems: {condition: string, text: string}[] }}
 */
export function deriveStatus({ info, staked, required, model_enabled, current_epoch }) {
  const problems = [];
  if (!info) return { active: false, problems: [{ condition: 'registered', text: describeError('RegistryError', 'ProviderNotFound') }] };
  const s = big(staked);
  const r = big(required);
  if (s < r) {
    problems.push({ condition: 'stake', text: `stake below the requirement: ${formatFunc(s)} of ${formatFunc(r)}` });
  }
  if (!info.whitelisted) problems.push({ condition: 'whitelisted', text: describeError('StakingError', 'NotWhitelisted') });
  const jailedUntil = Number(info.jailed_until ?? 0);
  if (Number(current_epoch) < jailedUntil) {
    problems.push({ condition: 'jailed', text: describeError('StakingError', { variant: 'ProviderJailed', value: { until_epoch: jailedUntil } }) });
  }
  if (info.deactivated) problems.push({ condition: 'deactivated', text: 'the owner deactivated the provider' });
  if (!model_enabled) problems.push({ condition: 'model', text: describeError('StakingError', 'ModelDisabled') });
  return { active: problems.length === 0, problems };
}

/** The unstake lock, pure: `{ staked, last_stake_epoch, unlock_epoch, unlocked }`. */
export function lockStatus(stakeInfo, clock) {
  if (!stakeInfo || big(stakeInfo.amount) === 0n) return { staked: false, last_stake_epoch: null, unlock_epoch: null, unlocked: false };
  const last = Number(stakeInfo.last_stake_epoch);
  const unlock = last + Number(clock.min_epochs_locked);
  return { staked: true, last_stake_epoch: last, unlock_epoch: unlock, unlocked: clock.current_epoch >= unlock };
}

/** Everything a provider card shows. */
export async function loadProvider(suite, id, { clock, models } = {}) {
  const bytes = providerIdBytes(id);
  const info = await suite.registry.query('get_provider', [bytes]);
  if (!info) return { id: showBytes(bytes), info: null, status: deriveStatus({ info: null }) };
  const modelId = Number(info.model_id);
  const pool = await suite.pool(modelId);
  const c = clock ?? (await loadEpochClock(suite));
  const model = models?.find((m) => m.id === modelId) ?? (await suite.router.query('get_model', [modelId]));
  const [staked, stakeInfo, active, pending, claimed] = await Promise.all([
    pool.query('get_provider_staked_amount', [bytes]),
    maybe(pool, 'get_stake', [bytes]),
    suite.registry.query('active', [bytes]),
    maybe(pool, 'pending_rewards', [bytes]),
    maybe(pool, 'claimed_through', [bytes]),
  ]);
  const required = big(model?.stake_amount);
  const status = deriveStatus({ info, staked, required, model_enabled: Boolean(model?.enabled), current_epoch: c.current_epoch });
  const lock = lockStatus(stakeInfo.ok ? stakeInfo.value : null, c);
  const eta = lock.staked && !lock.unlocked ? await epochEta(suite, c, lock.unlock_epoch) : null;
  let url = null;
  let name = null;
  try {
    const m = JSON.parse(info.metadata);
    url = m.url ?? null;
    name = m.name ?? null;
  } catch {
    // keep raw
  }
  return {
    id: showBytes(bytes),
    info,
    url,
    name,
    model_id: modelId,
    model_name: model?.name ?? null,
    pool: pool.address,
    staked: big(staked),
    required,
    missing: big(staked) >= required ? 0n : required - big(staked),
    active,
    status,
    lock: { ...lock, eta },
    pending_rewards: pending.ok ? big(pending.value) : null,
    claimed_through: claimed.ok ? Number(claimed.value) : 0,
  };
}

/** The providers `owner` registered, each as loadProvider. */
export async function loadProviders(suite, owner, { clock, models } = {}) {
  const ids = await suite.registry.query('get_provider_ids_by_owner', [owner]);
  const c = clock ?? (await loadEpochClock(suite));
  return Promise.all((ids ?? []).map((id) => loadProvider(suite, id, { clock: c, models })));
}

// --- rewards -------------------------------------------------------------------------------

export const REWARD_STATES = {
  in_progress: 'in progress',
  not_reported: 'not reported',
  correction_window: 'in the correction window',
  claimable: 'claimable',
  claimed: 'claimed',
};

/** State of an epoch's reward for a provider, pure. */
export function rewardState(epoch, { reported, claimed_through, last_claimable_epoch, current_epoch }) {
  const e = Number(epoch);
  if (e >= Number(current_epoch)) return 'in_progress';
  if (e <= Number(claimed_through ?? 0)) return 'claimed';
  if (!reported) return 'not_reported';
  if (e > Number(last_claimable_epoch)) return 'correction_window';
  return 'claimable';
}

/** The share of an epoch's reward for `shards` of `total_shards`, rounded down as the pool does. */
export function shareOf(total, boost, shards, totalShards) {
  const t = big(totalShards);
  if (t === 0n) return 0n;
  return ((big(total) + big(boost)) * big(shards)) / t;
}

/**
 * Reward rows of provider `id` for the epochs `from..to` (default: the last `window` ended
 * epochs since its registration): epoch total, boost, total shards, my shards, my share (the
 * pool's own `view_rewards` for that epoch) and the state.
 */
export async function loadRewardRows(suite, id, { clock, from, to, window = 12 } = {}) {
  const bytes = providerIdBytes(id);
  const info = await suite.registry.query('get_provider', [bytes]);
  if (!info) return { rows: [], pending: 0n, claimed_through: 0 };
  const pool = await suite.pool(Number(info.model_id));
  const c = clock ?? (await loadEpochClock(suite));
  const last = to ?? c.current_epoch;
  const first = from ?? Math.max(1, Number(info.registered_epoch ?? 1), last - window + 1);
  const [claimed, pending] = await Promise.all([maybe(pool, 'claimed_through', [bytes]), maybe(pool, 'pending_rewards', [bytes])]);
  const claimedThrough = claimed.ok ? Number(claimed.value) : 0;
  const epochs = [];
  for (let e = first; e <= last; e += 1) epochs.push(e);
  const rows = await Promise.all(
    epochs.map(async (epoch) => {
      const [report, shards, mine, boost] = await Promise.all([
        pool.query('epoch_reward', [epoch]),
        pool.query('provider_shards', [bytes, epoch]),
        pool.query('view_rewards', [bytes, epoch, epoch]),
        pool.query('boost_for_epoch', [epoch]),
      ]);
      const state = rewardState(epoch, { reported: Boolean(report), claimed_through: claimedThrough, last_claimable_epoch: c.last_claimable_epoch, current_epoch: c.current_epoch });
      return {
        epoch,
        total: report ? big(report.total) : null,
        boost: report ? big(report.boost) : big(boost),
        total_shards: report ? big(report.total_shards) : null,
        shards: big(shards),
        share: big(mine),
        state,
        state_text: REWARD_STATES[state],
        claimable_from_epoch: report && state === 'correction_window' ? epoch + c.epoch_reward_delay : null,
      };
    }),
  );
  return { id: showBytes(bytes), model_id: Number(info.model_id), rows, pending: pending.ok ? big(pending.value) : 0n, claimed_through: claimedThrough, clock: c };
}

/** Default claim range of a provider: the first unclaimed epoch to the last claimable one. */
export function defaultClaimRange(claimedThrough, clock) {
  return { from: Number(claimedThrough ?? 0) + 1, to: Number(clock.last_claimable_epoch) };
}

// --- results -------------------------------------------------------------------------------

/**
 * One line per provider of a cluster operation's outcome (`ClusterOutcome`, the dry-run's or
 * the transaction's value): `[{ id, ok, text }]` with the pool's refusal in words.
 */
export function clusterLines(outcome) {
  if (!outcome) return [];
  const ok = (outcome.succeeded ?? []).map((id) => ({ id: showBytes(id), ok: true, text: 'succeeded' }));
  const failed = (outcome.failed ?? []).map(([id, err]) => ({ id: showBytes(id), ok: false, text: describeError('StakingError', err) }));
  return [...ok, ...failed];
}

/** The total of a cluster outcome (FUNC), when present. */
export function clusterTotal(outcome) {
  return outcome && outcome.total !== undefined ? big(outcome.total) : null;
}

// --- small reads the page needs ---------------------------------------------------------------

/** The provider ids `owner` registered, as text (or hex when not UTF-8). */
export async function providerIdsOf(suite, owner) {
  return ((await suite.registry.query('get_provider_ids_by_owner', [owner])) ?? []).map((b) => showBytes(b));
}

/** Registry settings an admin sees: `{ auto_whitelist }` (null when unknown). */
export async function loadRegistrySettings(suite) {
  const auto = await maybe(suite.registry, 'auto_whitelist');
  return { auto_whitelist: auto.ok ? Boolean(auto.value) : null };
}

/** A model pool's reward funds: `{ balance, reserved, unreserved }` (null when unknown). */
export async function loadFunding(suite, modelId) {
  const pool = await suite.pool(Number(modelId));
  const f = await maybe(pool, 'reward_funding');
  if (!f.ok || !f.value) return null;
  const balance = big(f.value.balance);
  const reserved = big(f.value.reserved);
  return { balance, reserved, unreserved: balance > reserved ? balance - reserved : 0n };
}

/**
 * Which optional messages the deployed ABIs have, so a page offers an action only where the
 * contract can do it (older and newer builds differ): `{ deregister, releaseProvider,
 * withdrawUnreserved, withdrawExcess, boost }`.
 */
export function capabilities(suite) {
  const has = (name, message) => {
    const abi = suite.abis?.[name];
    if (!abi) return false;
    try {
      return Boolean(resolveMessage(abi, message));
    } catch {
      return false;
    }
  };
  return {
    deregister: has('provider_registry', 'deregister'),
    releaseProvider: has('provider_registry', 'release_provider'),
    withdrawUnreserved: has('provider_staking', 'withdraw_unreserved'),
    withdrawExcess: has('provider_staking', 'withdraw_excess'),
    boost: has('provider_staking', 'boost_rewards_for_n_epochs'),
  };
}
