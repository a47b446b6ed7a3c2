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
  clock.progress = epochProgress(clock);
  return clock;
}

/**
 * How far the current epoch has run, pure: `{ done, of, fraction }` in blocks (the epoch
 * started `epoch_length` blocks before the next one starts).
 */
export function epochProgress(clock) {
  const of = Math.max(1, Number(clock.epoch_length) || 1);
  // the epoch runs from next_epoch_block - epoch_length to next_epoch_block - 1; the best block is the done-th of it
  const done = Math.min(of, Math.max(0, of - Math.max(0, Number(clock.next_epoch_block) - Number(clock.block)) + 1));
  return { done, of, fraction: done / of };
}

/**
 * When the next epoch starts, in words that never go stale silently: on a chain with a block
 * time, the clock time it is expected at (and "overdue" once that has passed); on a dev chain
 * that makes blocks only for transactions, how many blocks are still missing. Pure.
 * @param {object} clock from loadEpochClock
 * @param {object} o `{ now, lastBlockAt, dev }` (ms timestamps; `dev`: blocks come with transactions)
 */
export function nextEpochWords(clock, { now = Date.now(), lastBlockAt = now, dev = false } = {}) {
  const n = clock.blocks_to_next;
  const blocks = `${n} more block${n === 1 ? '' : 's'}`;
  if (dev || clock.block_time_ms === null) {
    return { text: `epoch ${clock.current_epoch + 1} starts after ${blocks} (block #${clock.next_epoch_block})`, at: null, overdue: false };
  }
  const at = lastBlockAt + n * clock.block_time_ms;
  const overdue = now > at + clock.block_time_ms;
  const hhmm = new Date(at).toISOString().slice(11, 16);
  return {
    text: overdue
      ? `epoch ${clock.current_epoch + 1} was expected at about ${hhmm} UTC; no block for ${aboutDuration(now - lastBlockAt)?.replace('about ', '')}`
      : `epoch ${clock.current_epoch + 1} at about ${hhmm} UTC (${aboutDuration(at - now)}, ${blocks})`,
    at,
    overdue,
  };
}

/**
 * The last epoch of `pool` that is final, so claimable: the pool's own frontier
 * `finalized_through()`. Pools built before that view was live (no `reported_through`) settle
 * lazily, so there the controller's `last_claimable_epoch` counts as well, as their claims do.
 */
export async function claimFrontier(suite, pool, clock) {
  const f = await maybe(pool, 'finalized_through');
  const last = Number(clock?.last_claimable_epoch ?? 0);
  if (!f.ok) return last;
  let live = false;
  try {
    pool.message('reported_through');
    live = true;
  } catch {
    live = false;
  }
  return live ? Number(f.value) : Math.max(Number(f.value), last);
}

/** `claimFrontier` of every model's pool: `{ [modelId]: epoch }`. */
export async function loadClaimFrontiers(suite, models, clock) {
  const out = {};
  await Promise.all(models.map(async (m) => { out[m.id] = await claimFrontier(suite, await suite.pool(m.id), clock); }));
  return out;
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
  final_empty: 'final, no reward',
};

/** State of an epoch's reward for a provider, pure. */
export function rewardState(epoch, { reported, claimed_through, last_claimable_epoch, current_epoch }) {
  const e = Number(epoch);
  if (e >= Number(current_epoch)) return 'in_progress';
  if (e <= Number(claimed_through ?? 0)) return 'claimed';
  if (!reported) return e <= Number(last_claimable_epoch) ? 'final_empty' : 'not_reported'; // closed, or nobody staked
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
  const [claimed, pending, frontier] = await Promise.all([maybe(pool, 'claimed_through', [bytes]), maybe(pool, 'pending_rewards', [bytes]), claimFrontier(suite, pool, c)]);
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
      const state = rewardState(epoch, { reported: Boolean(report), claimed_through: claimedThrough, last_claimable_epoch: frontier, current_epoch: c.current_epoch });
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
  return {
    id: showBytes(bytes),
    model_id: Number(info.model_id),
    registered_epoch: Number(info.registered_epoch ?? 1),
    rows,
    pending: pending.ok ? big(pending.value) : 0n,
    claimed_through: claimedThrough,
    claimable_through: frontier,
    clock: c,
  };
}

/**
 * Default claim range of a provider, pure: from its first unclaimed epoch (after its last
 * claim, not before its registration) to the pool's last final epoch (`claimable`: a number,
 * or a clock / reward rows with `claimable_through` or `last_claimable_epoch`). `empty` when
 * nothing is claimable yet (the range would be inverted).
 */
export function defaultClaimRange(claimedThrough, claimable, registeredEpoch = 1) {
  const to = typeof claimable === 'object' && claimable !== null ? Number(claimable.claimable_through ?? claimable.last_claimable_epoch) : Number(claimable);
  const from = Math.max(1, Number(claimedThrough ?? 0) + 1, Number(registeredEpoch ?? 1));
  return { from, to, empty: to < from };
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
 * withdrawUnreserved, withdrawExcess, boost, closeEpochs }`.
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
    closeEpochs: has('provider_staking', 'close_unreported_epochs'),
  };
}

// --- the provider card's checklist ---------------------------------------------------------------

/**
 * Every condition of an active provider as a checklist, pure: `[{ condition, label, ok,
 * next, eta }]`, `next` saying what to do (or wait for) when it fails, `eta` when it passes by
 * itself (a jail ends). `p` is loadProvider's result; `clock` loadEpochClock's.
 */
export function checklist(p, clock) {
  const info = p.info ?? {};
  const jailedUntil = Number(info.jailed_until ?? 0);
  const jailed = Number(clock.current_epoch) < jailedUntil;
  const modelOk = !p.status.problems.some((x) => x.condition === 'model');
  const jailBlocks = jailed ? blocksUntilEpoch(clock, jailedUntil) : 0;
  const jailMs = jailed && clock.block_time_ms !== null ? jailBlocks * clock.block_time_ms : null;
  return [
    { condition: 'registered', label: 'Registered', ok: Boolean(p.info), next: p.info ? null : 'Register it (Register tab).' },
    {
      condition: 'whitelisted',
      label: 'Whitelisted',
      ok: Boolean(info.whitelisted),
      next: info.whitelisted ? null : "Ask the network's whitelister to whitelist this id (send them the id); it needs no transaction from you.",
    },
    {
      condition: 'jailed',
      label: 'Not jailed',
      ok: !jailed,
      next: jailed ? `Wait: the jail ends when epoch ${jailedUntil} starts (in ${jailBlocks} block${jailBlocks === 1 ? '' : 's'}${jailMs !== null ? `, ${aboutDuration(jailMs)}` : ''}); a whitelister can also release it earlier.` : null,
      eta: jailed ? { epoch: jailedUntil, blocks: jailBlocks, about: aboutDuration(jailMs) } : null,
    },
    { condition: 'deactivated', label: 'Not deactivated', ok: !info.deactivated, next: info.deactivated ? 'Reactivate it (button below).' : null },
    {
      condition: 'stake',
      label: `Staked ${formatFunc(p.required ?? 0n)}`,
      ok: big(p.staked) >= big(p.required),
      next: big(p.staked) >= big(p.required) ? null : `Stake ${formatFunc(big(p.required) - big(p.staked))} more (button below).`,
    },
    {
      condition: 'model',
      label: `Model ${p.model_id ?? ''} enabled`.replace('  ', ' '),
      ok: modelOk,
      next: modelOk ? null : "The network's operator disabled this model: nothing to do until they enable it again.",
    },
  ];
}

// --- account overview ---------------------------------------------------------------------------

/**
 * An owner's money across all its providers: `{ providers, total_staked, total_pending, locked,
 * unlocked, next_unlock, claim }` where `claim` is what the one claim button sends: `{ amount,
 * providers, from, to }` (from 1 through the lowest final epoch of the pools with something
 * pending; null when nothing is pending).
 */
export async function loadOverview(suite, owner, { clock, models } = {}) {
  const c = clock ?? (await loadEpochClock(suite));
  const providers = await loadProviders(suite, owner, { clock: c, models });
  const frontiers = {};
  for (const p of providers) {
    if (p.pool && frontiers[p.model_id] === undefined) frontiers[p.model_id] = await claimFrontier(suite, await suite.pool(p.model_id), c);
  }
  const sum = (xs) => xs.reduce((a, b) => a + b, 0n);
  const locked = providers.filter((p) => p.lock?.staked && !p.lock.unlocked);
  const unlocked = providers.filter((p) => p.lock?.staked && p.lock.unlocked);
  const pendingOnes = providers.filter((p) => (p.pending_rewards ?? 0n) > 0n);
  const nextUnlock = locked.reduce((m, p) => (m === null || p.lock.unlock_epoch < m.unlock_epoch ? p.lock : m), null);
  const amount = sum(pendingOnes.map((p) => p.pending_rewards));
  const to = pendingOnes.length ? Math.min(...pendingOnes.map((p) => frontiers[p.model_id])) : null;
  return {
    providers,
    frontiers,
    total_staked: sum(providers.map((p) => p.staked ?? 0n)),
    total_pending: amount,
    locked: sum(locked.map((p) => p.staked)),
    unlocked: sum(unlocked.map((p) => p.staked)),
    next_unlock: nextUnlock ? { epoch: nextUnlock.unlock_epoch, eta: nextUnlock.eta } : null,
    claim: amount > 0n ? { amount, providers: pendingOnes.map((p) => p.id), from: 1, to } : null,
  };
}

// --- deployment and connection -------------------------------------------------------------------

/**
 * Checks that the deployment's contracts exist on the connected chain: `{ ok, missing: [{ name,
 * address }], otherCode: [{ name, address, codeHash }] }`. Every `--dev` chain shares one
 * genesis hash, so only this tells a deployment of another dev chain (or of a restarted
 * `--tmp` node) from this chain's. `otherCode` lists contracts whose code is not the build the
 * page was made with (an upgrade, or another build): a warning, not a refusal.
 */
export async function checkDeployment(suite) {
  const found = await Promise.all(
    Object.entries(suite.handles).map(async ([name, h]) => {
      const info = await suite.api.query.contracts.contractInfoOf(h.address);
      if (info.isNone) return { name, address: h.address, missing: true };
      const codeHash = info.unwrap().codeHash.toHex();
      const built = suite.bundles?.[name]?.source?.hash;
      return { name, address: h.address, codeHash, other: Boolean(built) && String(built).toLowerCase() !== codeHash.toLowerCase() };
    }),
  );
  const missing = found.filter((x) => x.missing).map(({ name, address }) => ({ name, address }));
  const otherCode = found.filter((x) => x.other).map(({ name, address, codeHash }) => ({ name, address, codeHash }));
  return { ok: missing.length === 0, missing, otherCode };
}

/** True when an error means the node is not reachable (closed socket, refused, timed out). */
export function isConnectionError(e) {
  return /WebSocket is not connected|not connected|disconnected|Abnormal Closure|ECONNREFUSED|No response received|socket hang up|Unable to connect|cannot reach/i.test(String(e?.message ?? e));
}

/**
 * An error in words a provider understands: connection failures say so, a contract's refusal
 * keeps its sentence without the `contract.message refused:` prefix (that stays in `raw`).
 */
export function plainError(e, { url } = {}) {
  const raw = String(e?.message ?? e);
  if (isConnectionError(e)) {
    return { text: `The node${url ? ` at ${url}` : ''} is not answering. The page reconnects by itself and redraws when the node is back; nothing was sent.`, raw, connection: true };
  }
  const m = /^[a-z_]+\.[A-Za-z_:]+ refused: (.*)$/s.exec(raw);
  const text = m ? m[1] : raw;
  return { text: text.charAt(0).toUpperCase() + text.slice(1), raw, connection: false };
}

// --- actions in words ----------------------------------------------------------------------------

/**
 * A transaction step (from previewAction / sendAction) in plain words: "Approve the model 1
 * pool to take 1,000 FUNC", "Stake bob-gpu-1", … (the raw call stays for an Advanced view).
 */
export function stepWords(step, { pools = {} } = {}) {
  const short = String(step.message ?? '').split('::').pop();
  const arg = (name) => step.args?.find((a) => a.name === name)?.value;
  const id = () => {
    const v = step.args?.find((a) => /^id$|provider/.test(a.name))?.value;
    return v instanceof Uint8Array ? showBytes(v) : v;
  };
  const poolName = (address) => (pools[address] !== undefined ? `the model ${pools[address]} pool` : 'the pool');
  switch (short) {
    case 'approve':
      return big(arg('value')) === 0n ? `Revoke the allowance of ${poolName(arg('spender'))}` : `Allow ${poolName(arg('spender'))} to take ${formatFunc(big(arg('value')))} from this account`;
    case 'register':
      return `Register ${id()}`;
    case 'register_and_stake':
      return `Register ${id()} and stake`;
    case 'stake_for_provider':
      return `Stake ${id()}`;
    case 'unstake_provider':
      return `Unstake ${id()}`;
    case 'claim_rewards':
      return `Claim the rewards of ${id()}, epochs ${arg('from_epoch')}–${arg('to_epoch')}`;
    case 'claim_rewards_cluster':
    case 'claim_rewards_cluster_from':
      return `Claim the rewards of every provider of this account, epochs ${arg('from_epoch')}–${arg('to_epoch')}${arg('start') ? ` (from position ${arg('start')})` : ''}`;
    case 'set_epoch_reward':
      return `Report epoch ${arg('epoch')}: ${formatFunc(big(arg('total')))} over ${arg('total_shards')} shards`;
    case 'record_provider_shards':
      return `Record the shards of ${arg('entries')?.length ?? arg('shards')?.length ?? 'the'} provider(s) in epoch ${arg('epoch')}`;
    case 'fund_rewards':
      return `Move ${formatFunc(big(arg('amount')))} into the pool's reward funds`;
    case 'deactivate':
      return `Deactivate ${id()}`;
    case 'reactivate':
      return `Reactivate ${id()}`;
    case 'deregister':
      return `Deregister ${id()}`;
    case 'update_metadata':
      return `Update the metadata of ${id()}`;
    default:
      return short.replace(/_/g, ' ');
  }
}

/** Pool address → model id, for stepWords. */
export function poolNames(suite) {
  const out = {};
  for (const [id, h] of suite.pools ?? []) out[h.address] = id;
  return out;
}
