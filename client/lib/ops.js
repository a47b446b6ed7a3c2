// What a provider, a scheduler and an admin do, as functions over a connected Suite.
// The CLI (bin/func.js), scripts/devnet.sh (through bin/demo.js) and the tests use these.
import { formatFunc, providerIdBytes, showBytes, UserError } from './codec.js';
import { advanceBlocks, bestBlock } from './chain.js';
import { parseRole } from './suite.js';
import { BOUNDS } from './limits.js';
import { assertBatch, assertBoost, assertJailEpochs, assertMetadata, assertModel, assertNonZeroAmount, assertProviderId } from './validate.js';

const idOf = (id, opts) => providerIdBytes(id, opts);

/** Builds provider metadata JSON from a URL and an optional name (or passes raw JSON through). */
export function buildMetadata({ url, name, metadata } = {}) {
  if (metadata !== undefined && metadata !== null) return String(metadata);
  if (!url) throw new UserError("give the provider node's URL with --provider-url <http(s)://…> (or the whole JSON with --metadata)");
  const m = { url };
  if (name) m.name = name;
  return JSON.stringify(m);
}

// --- reads --------------------------------------------------------------------------------

/** Current epoch, next epoch block, last claimable epoch and the parameters. */
export async function epochStatus(suite) {
  const [current, next, lastClaimable, block] = await Promise.all([
    suite.epoch.query('current_epoch'),
    suite.epoch.query('next_epoch_block'),
    suite.epoch.query('last_claimable_epoch'),
    bestBlock(suite.api),
  ]);
  let info = null;
  const r = await suite.epoch.tryQuery('epoch_info');
  if (r.ok && r.value) info = Object.fromEntries(Object.entries(r.value).map(([k, v]) => [k, Number(v)]));
  return { block, current_epoch: Number(current), next_epoch_block: Number(next), last_claimable_epoch: Number(lastClaimable), info };
}

export async function modelStakeAmount(suite, modelId) {
  return BigInt(await suite.router.query('model_stake_amount', [Number(modelId)]));
}

/** `get_provider(id)` → ProviderInfo (throws "no provider is registered with this id" in words). */
export async function getProvider(suite, id, opts = {}) {
  const info = await suite.registry.query('get_provider', [idOf(id, opts)]);
  if (info === null) throw new UserError(`no provider is registered with id "${id}"`);
  return info;
}

/** Everything about one provider: record, flags, stake, rewards, lock. */
export async function providerStatus(suite, id, opts = {}) {
  const bytes = idOf(id, opts);
  const info = await getProvider(suite, id, opts);
  const modelId = Number(info.model_id);
  const pool = await suite.pool(modelId);
  const [registered, active, stake, required, epoch] = await Promise.all([
    suite.registry.query('registered', [bytes]),
    suite.registry.query('active', [bytes]),
    pool.query('get_provider_staked_amount', [bytes]),
    modelStakeAmount(suite, modelId),
    epochStatus(suite),
  ]);
  const pending = await pool.tryQuery('pending_rewards', [bytes]);
  const extra = {};
  const stakeInfo = await pool.tryQuery('get_stake', [bytes]);
  if (stakeInfo.ok && stakeInfo.value) {
    extra.last_stake_epoch = Number(stakeInfo.value.last_stake_epoch);
    const locked = Number(epoch.info?.min_epochs_locked ?? 0);
    extra.unlock_epoch = extra.last_stake_epoch + locked;
  }
  const claimed = await pool.tryQuery('claimed_through', [bytes]);
  if (claimed.ok) extra.claimed_through = Number(claimed.value);
  return {
    id: showBytes(bytes),
    info,
    registered,
    active,
    staked: BigInt(stake ?? 0),
    required,
    pending_rewards: pending.ok ? pending.value : null,
    pool: pool.address,
    epoch,
    ...extra,
  };
}

/**
 * Every active provider of `modelId` with its URL, paging through
 * `get_active_providers(model_id, start, limit)`.
 */
export async function activeProviders(suite, modelId, { pageSize = 100, onProgress } = {}) {
  const out = [];
  let start = 0;
  for (let pages = 0; pages < 100_000; pages += 1) {
    const page = await suite.registry.query('get_active_providers', [Number(modelId), start, pageSize]);
    // ActiveProvidersPage { providers, next_start } (or a bare Vec in older builds)
    const items = Array.isArray(page) ? page : page?.providers ?? [];
    for (const p of items) {
      const id = p.id ?? p[0];
      const metadata = p.metadata ?? p[1] ?? '';
      let url = null;
      let name = null;
      try {
        const m = JSON.parse(metadata);
        url = m.url ?? null;
        name = m.name ?? null;
      } catch {
        // metadata is validated on-chain; keep the raw text when it is not JSON
      }
      out.push({ id: showBytes(id), url, name, metadata });
    }
    onProgress?.(`  … page ${pages + 1}: ${items.length} active provider(s)`);
    if (Array.isArray(page)) {
      if (items.length < pageSize) break;
      start += pageSize;
    } else {
      if (page?.next_start === null || page?.next_start === undefined) break;
      start = Number(page.next_start);
    }
  }
  return out;
}

// --- provider actions ---------------------------------------------------------------------

/** PSP22 approve of `spender` for `amount` by the signer. */
export async function approve(suite, spender, amount, { onProgress } = {}) {
  return suite.token.tx('approve', [spender, BigInt(amount)], { onProgress });
}

/** Approves `modelId`'s pool for `amount` (default: the model's stake amount). */
export async function approvePool(suite, modelId, amount, { onProgress } = {}) {
  const pool = await suite.pool(modelId);
  const value = amount === undefined || amount === null ? await modelStakeAmount(suite, modelId) : BigInt(amount);
  onProgress?.(`▸ approve the model ${modelId} pool ${pool.address} for ${formatFunc(value)}`);
  const r = await approve(suite, pool.address, value, { onProgress });
  return { ...r, pool: pool.address, amount: value };
}

/** True when a (nested) contract error is the token's InsufficientAllowance. */
function isAllowanceError(error) {
  if (!error || typeof error !== 'object') return false;
  if (error.variant === 'InsufficientAllowance') return true;
  return isAllowanceError(error.value);
}

/**
 * "Always approve FUNC transfers before staking": dry-runs `handle.name(args)`; a refusal for
 * any other reason than the allowance is reported before anything is sent. Then approves the
 * model's pool for `amount` (default: the model's stake amount) unless the allowance already
 * covers it, and sends the call.
 */
async function withApproval(suite, modelId, handle, name, args, { approve: doApprove = true, amount, ...opts } = {}) {
  const events = [];
  if (doApprove) {
    const pre = await handle.tryQuery(name, args);
    if (!pre.ok && !isAllowanceError(pre.error)) {
      // the same refusal, in words, before any approval is spent
      await handle.query(name, args);
    }
    const pool = await suite.pool(modelId);
    const need = amount === undefined || amount === null ? await modelStakeAmount(suite, modelId) : BigInt(amount);
    const has = BigInt(await suite.token.query('allowance', [suite.signer.address, pool.address]));
    if (has >= need) {
      opts.onProgress?.(`  = the pool's allowance (${formatFunc(has)}) already covers ${formatFunc(need)}`);
    } else {
      const a = await approvePool(suite, modelId, need, opts);
      events.push(...a.events);
    }
  }
  opts.onProgress?.(`▸ ${handle.name}.${name}`);
  const r = await handle.tx(name, args, opts);
  return { ...r, events: [...events, ...r.events] };
}

/** Seed step 1A.1: `register(id, model_id, metadata)`. */
export async function register(suite, id, modelId, metadata, opts = {}) {
  assertProviderId(idOf(id, opts), 'register');
  assertMetadata(metadata, 'register');
  opts.onProgress?.(`▸ register provider "${id}" for model ${modelId}`);
  return suite.registry.tx('register', [idOf(id, opts), Number(modelId), metadata], opts);
}

/**
 * Seed step 1B: approve the model's pool for the stake amount, then
 * `register_and_stake(id, model_id, metadata)`.
 */
export async function registerAndStake(suite, id, modelId, metadata, opts = {}) {
  assertProviderId(idOf(id, opts), 'register_and_stake');
  assertMetadata(metadata, 'register_and_stake');
  opts.onProgress?.(`▸ register_and_stake provider "${id}" for model ${modelId} (approving the pool first)`);
  return withApproval(suite, Number(modelId), suite.registry, 'register_and_stake', [idOf(id, opts), Number(modelId), metadata], opts);
}

/**
 * Seed step 1A.3: approve the provider's pool (router `provider_staking(model_id)`) for the
 * model's stake amount, then `stake_for_provider(id)`.
 */
export async function stake(suite, id, opts = {}) {
  const info = await getProvider(suite, id, opts);
  const modelId = Number(info.model_id);
  const pool = await suite.pool(modelId);
  opts.onProgress?.(`▸ stake_for_provider("${id}") on the model ${modelId} pool (approving it first)`);
  return withApproval(suite, modelId, pool, 'stake_for_provider', [idOf(id, opts)], opts);
}

export async function unstake(suite, id, opts = {}) {
  const info = await getProvider(suite, id, opts);
  const pool = await suite.pool(Number(info.model_id));
  opts.onProgress?.(`▸ unstake_provider("${id}")`);
  return pool.tx('unstake_provider', [idOf(id, opts)], opts);
}

/**
 * `claim_rewards(id, from, to)`; `to` defaults to the pool's final frontier
 * (`finalized_through`: claims never pass an epoch the scheduler has not reported), `from` to 1.
 */
export async function claim(suite, id, { from, to, ...opts } = {}) {
  const info = await getProvider(suite, id, opts);
  const pool = await suite.pool(Number(info.model_id));
  const toEpoch = to ?? Number(await pool.query('finalized_through'));
  const fromEpoch = from ?? 1;
  opts.onProgress?.(`▸ claim_rewards("${id}", ${fromEpoch}, ${toEpoch})`);
  return pool.tx('claim_rewards', [idOf(id, opts), fromEpoch, toEpoch], opts);
}

/**
 * Runs a paged cluster operation to its end: `first` sends the first page, `next(start)` the
 * page at `next_start`, until the outcome has none. One transaction per page (a page fits the
 * chain's proof budget, `CLUSTER_CALL_BUDGET`); the result merges the pages' outcomes.
 */
async function allPages(first, next) {
  let result = await first();
  const pages = [result];
  const bound = 1 + 32; // a page covers at least one of the owner's ≤ 32 providers
  while (result.value?.next_start != null && pages.length < bound) {
    result = await next(Number(result.value.next_start));
    pages.push(result);
  }
  const value = {
    succeeded: pages.flatMap((page) => page.value?.succeeded ?? []),
    failed: pages.flatMap((page) => page.value?.failed ?? []),
    total: pages.reduce((sum, page) => sum + BigInt(page.value?.total ?? 0), 0n),
    next_start: null,
  };
  return { ...result, value, events: pages.flatMap((page) => page.events ?? []), pages: pages.length };
}

/** The registry's cluster claim, paged to the end; each pool claims up to `to` or its own final frontier, whichever is lower. */
export async function claimCluster(suite, { from, to, ...opts } = {}) {
  const toEpoch = to ?? Number(await suite.epoch.query('last_claimable_epoch'));
  const fromEpoch = from ?? 1;
  opts.onProgress?.(`▸ claim_rewards_cluster(${fromEpoch}, ${toEpoch})`);
  return allPages(
    () => suite.registry.tx('claim_rewards_cluster', [fromEpoch, toEpoch], opts),
    (start) => {
      opts.onProgress?.(`▸ claim_rewards_cluster_from(${fromEpoch}, ${toEpoch}, ${start})`);
      return suite.registry.tx('claim_rewards_cluster_from', [fromEpoch, toEpoch, start], opts);
    },
  );
}

export async function unstakeCluster(suite, opts = {}) {
  opts.onProgress?.('▸ unstake_cluster()');
  return allPages(
    () => suite.registry.tx('unstake_cluster', [], opts),
    (start) => {
      opts.onProgress?.(`▸ unstake_cluster_from(${start})`);
      return suite.registry.tx('unstake_cluster_from', [start], opts);
    },
  );
}

export async function updateMetadata(suite, id, metadata, opts = {}) {
  assertMetadata(metadata, 'update_metadata');
  return suite.registry.tx('update_metadata', [idOf(id, opts), metadata], opts);
}

export async function deactivate(suite, id, opts = {}) {
  return suite.registry.tx('deactivate', [idOf(id, opts)], opts);
}

export async function reactivate(suite, id, opts = {}) {
  return suite.registry.tx('reactivate', [idOf(id, opts)], opts);
}

/** `deregister(id)`: frees the signer's unstaked provider id; earned rewards stay claimable. */
export async function deregister(suite, id, opts = {}) {
  opts.onProgress?.(`▸ deregister("${id}")`);
  return suite.registry.tx('deregister', [idOf(id, opts)], opts);
}

/**
 * `claim_rewards(id, from, to)` on the model's pool by a former holder of `id` (after a
 * deregistration or a governance release): the registry no longer names the model, so it is
 * given.
 */
export async function claimFormer(suite, id, modelId, { from, to, ...opts } = {}) {
  const pool = await suite.pool(Number(modelId));
  const toEpoch = to ?? Number(await pool.query('finalized_through'));
  const fromEpoch = from ?? 1;
  opts.onProgress?.(`▸ claim_rewards("${id}", ${fromEpoch}, ${toEpoch}) as a former holder`);
  return pool.tx('claim_rewards', [idOf(id, opts), fromEpoch, toEpoch], opts);
}

// --- admin actions ------------------------------------------------------------------------

/** `create_model(model_id, name, shards, compute_units, stake_amount)`; grants the deployment's schedulers on the new pool. */
export async function createModel(suite, { modelId, name, shards, computeUnits, stakeAmount }, opts = {}) {
  assertModel({ name, stakeAmount });
  opts.onProgress?.(`▸ create_model(${modelId}, "${name}", shards ${shards}, compute units ${computeUnits}, stake ${formatFunc(stakeAmount)})`);
  const r = await suite.router.tx('create_model', [Number(modelId), name, Number(shards), BigInt(computeUnits), BigInt(stakeAmount)], opts);
  const pool = await suite.pool(modelId);
  const events = [...r.events];
  for (const { role, account } of suite.deployment?.roles ?? []) {
    if (role !== 'Scheduler' && role !== 'Pauser') continue;
    opts.onProgress?.(`▸ grant ${role} to ${account} on the model ${modelId} pool`);
    const g = await pool.tx('grant_role', [role, account], opts);
    events.push(...g.events);
  }
  if (suite.deployment) {
    suite.deployment.models = suite.deployment.models ?? {};
    suite.deployment.models[modelId] = { pool: pool.address, name, stake_amount: BigInt(stakeAmount).toString(), block: r.blockNumber };
  }
  return { ...r, events, pool: pool.address };
}

/** Resolves a contract by name: token, epoch, router, registry or `pool:<model>`. */
export async function contractByName(suite, name) {
  const n = String(name).toLowerCase();
  if (['token', 'func_token', 'func'].includes(n)) return suite.token;
  if (['epoch', 'epoch_controller'].includes(n)) return suite.epoch;
  if (['router', 'model_router'].includes(n)) return suite.router;
  if (['registry', 'provider_registry'].includes(n)) return suite.registry;
  const m = /^pool:(\d+)$/.exec(n);
  if (m) return suite.pool(Number(m[1]));
  throw new UserError(`unknown contract "${name}": token, epoch, router, registry or pool:<model id>`);
}

export async function grantRole(suite, contractName, role, account, opts = {}) {
  const c = await contractByName(suite, contractName);
  const r = parseRole(role);
  opts.onProgress?.(`▸ grant ${r} to ${account} on ${c.name}`);
  return c.tx('grant_role', [r, account], opts);
}

/** Whitelists ids (or removes them with `remove`), in batches of at most `MAX_BATCH_SIZE`. */
export async function whitelist(suite, ids, { remove = false, ...opts } = {}) {
  const bytes = ids.map((i) => idOf(i, opts));
  const batches = [];
  for (let i = 0; i < bytes.length; i += BOUNDS.MAX_BATCH_SIZE) batches.push(bytes.slice(i, i + BOUNDS.MAX_BATCH_SIZE));
  if (batches.length === 0) assertBatch([], remove ? 'remove_from_whitelist' : 'whitelist');
  const results = [];
  for (const batch of batches) {
    opts.onProgress?.(`▸ ${remove ? 'remove_from_whitelist' : 'whitelist'} ${batch.length} provider(s)`);
    results.push(await suite.registry.tx(remove ? 'remove_from_whitelist' : 'whitelist', [batch], opts));
  }
  return { events: results.flatMap((r) => r.events), blockNumber: results.at(-1)?.blockNumber };
}

export async function jail(suite, id, epochs, opts = {}) {
  assertJailEpochs(epochs);
  opts.onProgress?.(`▸ jail_for_epochs("${id}", ${epochs})`);
  return suite.registry.tx('jail_for_epochs', [idOf(id, opts), Number(epochs)], opts);
}

export async function unjail(suite, id, opts = {}) {
  opts.onProgress?.(`▸ unjail("${id}")`);
  return suite.registry.tx('unjail', [idOf(id, opts)], opts);
}

export async function toggleAutoWhitelist(suite, opts = {}) {
  return suite.registry.tx('toggle_automatic_whitelist', [], opts);
}

/**
 * Scheduler report of an ended epoch: `set_epoch_reward(epoch, total, total_shards)`, then
 * `record_provider_shards(epoch, [(id, shards)])` in batches of `MAX_BATCH_SIZE`.
 * @param {Array<[string, number|bigint]>} shards provider id → shards
 */
export async function setEpochRewards(suite, modelId, epoch, total, totalShards, shards, opts = {}) {
  const pool = await suite.pool(modelId);
  opts.onProgress?.(`▸ set_epoch_reward(epoch ${epoch}, total ${formatFunc(total)}, total shards ${totalShards}) on the model ${modelId} pool`);
  const r = await pool.tx('set_epoch_reward', [Number(epoch), BigInt(total), BigInt(totalShards)], opts);
  const events = [...r.events];
  const entries = shards.map(([id, n]) => [idOf(id, opts), BigInt(n)]);
  for (let i = 0; i < entries.length; i += BOUNDS.MAX_BATCH_SIZE) {
    const batch = entries.slice(i, i + BOUNDS.MAX_BATCH_SIZE);
    opts.onProgress?.(`▸ record_provider_shards(epoch ${epoch}, ${batch.length} provider(s))`);
    const s = await pool.tx('record_provider_shards', [Number(epoch), batch], opts);
    events.push(...s.events);
  }
  return { events, blockNumber: r.blockNumber };
}

/**
 * Scheduler (or pool owner): `close_unreported_epochs(through)` on the model's pool — every
 * ended epoch up to `through` that has no report is closed as empty, so claims may pass it
 * once its correction window has passed.
 */
export async function closeEpochs(suite, modelId, through, opts = {}) {
  const pool = await suite.pool(modelId);
  opts.onProgress?.(`▸ close_unreported_epochs(${through}) on the model ${modelId} pool`);
  return pool.tx('close_unreported_epochs', [Number(through)], opts);
}

/**
 * Pool owner: `suspend_reports()` (a leaked or faulty scheduler key: nothing becomes final and
 * only the owner may report) or, with `resume`, `resume_reports()` (every report not final yet
 * gets a fresh correction window).
 */
export async function suspendReports(suite, modelId, { resume = false, ...opts } = {}) {
  const pool = await suite.pool(modelId);
  const message = resume ? 'resume_reports' : 'suspend_reports';
  opts.onProgress?.(`▸ ${message}() on the model ${modelId} pool`);
  return pool.tx(message, [], opts);
}

/** Approves the pool and moves `amount` FUNC into its reward funding (`fund_rewards`). */
export async function fundRewards(suite, modelId, amount, opts = {}) {
  assertNonZeroAmount(amount, 'fund_rewards');
  const pool = await suite.pool(modelId);
  opts.onProgress?.(`▸ fund_rewards(${formatFunc(amount)}) on the model ${modelId} pool (approving it first)`);
  return withApproval(suite, Number(modelId), pool, 'fund_rewards', [BigInt(amount)], { ...opts, amount: BigInt(amount) });
}

/** Whitelister: `release_provider(id)` returns any stake to the owner and frees the id. */
export async function releaseProvider(suite, id, opts = {}) {
  opts.onProgress?.(`▸ release_provider("${id}")`);
  return suite.registry.tx('release_provider', [idOf(id, opts)], opts);
}

/** Pool owner: `withdraw_unreserved(to, amount)` of the model's unreserved reward funds. */
export async function withdrawUnreserved(suite, modelId, to, amount, opts = {}) {
  assertNonZeroAmount(amount, 'withdraw_unreserved');
  const pool = await suite.pool(Number(modelId));
  opts.onProgress?.(`▸ withdraw_unreserved(${to}, ${formatFunc(amount)}) on the model ${modelId} pool`);
  return pool.tx('withdraw_unreserved', [to, BigInt(amount)], opts);
}

/** Pool owner: `withdraw_excess(to, amount)` of FUNC sent to the pool outside staking/funding. */
export async function withdrawExcess(suite, modelId, to, amount, opts = {}) {
  assertNonZeroAmount(amount, 'withdraw_excess');
  const pool = await suite.pool(Number(modelId));
  opts.onProgress?.(`▸ withdraw_excess(${to}, ${formatFunc(amount)}) on the model ${modelId} pool`);
  return pool.tx('withdraw_excess', [to, BigInt(amount)], opts);
}

/** Pauses (or unpauses) the named contracts: registry, router, epoch, pool:<model>, or `all`. */
export async function pause(suite, names = ['all'], { unpause = false, ...opts } = {}) {
  let targets = [];
  if (names.includes('all')) {
    targets = [suite.registry, suite.router, suite.epoch];
    for (const m of Object.keys(suite.deployment?.models ?? {})) targets.push(await suite.pool(Number(m)));
    targets = targets.filter((c) => {
      try {
        c.message('pause');
        return true;
      } catch {
        return false;
      }
    });
  } else {
    for (const n of names) targets.push(await contractByName(suite, n));
  }
  const events = [];
  for (const c of targets) {
    opts.onProgress?.(`▸ ${unpause ? 'unpause' : 'pause'} ${c.name} ${c.address}`);
    const r = await c.tx(unpause ? 'unpause' : 'pause', [], opts);
    events.push(...r.events);
  }
  return { events, contracts: targets.map((c) => c.name) };
}

/** PSP22 transfer of FUNC from the signer to `to`. */
export async function transfer(suite, to, amount, opts = {}) {
  return suite.token.tx('transfer', [to, BigInt(amount), new Uint8Array()], opts);
}

export async function balanceOf(suite, who) {
  return BigInt(await suite.token.query('balance_of', [who]));
}

/**
 * Produces blocks until `current_epoch >= target` (dev chains only), using
 * `engine_createBlock` or cheap remarks from the signer.
 */
export async function advanceToEpoch(suite, target, { signer, onProgress } = {}) {
  for (let guard = 0; guard < 10_000; guard += 1) {
    const current = Number(await suite.epoch.query('current_epoch'));
    if (current >= target) return current;
    const next = Number(await suite.epoch.query('next_epoch_block'));
    const block = await bestBlock(suite.api);
    // a message at block b runs in block b+1 on instant seal, but views read the best block
    const need = Math.max(1, next - block);
    onProgress?.(`  … epoch ${current} → ${target}: producing ${need} block(s) (block ${block}, next epoch at ${next})`);
    await advanceBlocks(suite.api, need, signer ?? suite.signer, { onProgress });
  }
  throw new UserError(`could not reach epoch ${target}`);
}

// --- additions for the dapp (client/lib/view.js, client/lib/actions.js, dapp/) ---------------

/**
 * Approves the model's pool for `amount` (unless the allowance covers it), then
 * `boost_rewards_for_n_epochs(epochs, amount)`: `amount` spread evenly over `epochs` epochs
 * from the current one.
 */
export async function boostRewards(suite, modelId, epochs, amount, opts = {}) {
  assertBoost(epochs, amount);
  const pool = await suite.pool(modelId);
  opts.onProgress?.(`▸ boost of ${formatFunc(amount)} over ${epochs} epoch(s) on the model ${modelId} pool (approving it first)`);
  return withApproval(suite, Number(modelId), pool, 'boost_rewards_for_n_epochs', [Number(epochs), BigInt(amount)], {
    ...opts,
    amount: BigInt(amount),
  });
}

/** Any message of a suite contract (`registry`, `pool:1`, …) by name, dry-run first: ABI-driven forms. */
export async function callMessage(suite, contractName, message, args = [], opts = {}) {
  const c = await contractByName(suite, contractName);
  opts.onProgress?.(`▸ ${c.name}.${message}`);
  return c.tx(message, args, opts);
}
