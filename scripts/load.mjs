#!/usr/bin/env node
// Scale run of the FUNC suite (issue 12, "Scale run"); started by scripts/load.sh.
//
// On a fresh `substrate-contracts-node --dev` (instant seal: a block per transaction) it deploys
// the suite from the release bundles, fills one model with 10, then 100, then 1,000 staked
// providers (owners at the per-owner cap among them), reports 100 epochs for all 1,000 providers
// in batches of MAX_BATCH_SIZE, claims (single, cluster) over 1, 10 and 100 epochs, unstakes
// clusters and checks the pool invariant at the end. Every figure is a dry-run (`gasConsumed`:
// ref_time and proof_size) of a message in the state the run has built, at six checkpoints:
// 10 / 100 / 1,000 providers, then 1 / 10 / 100 reported epochs (with 1,000 providers).
//
// Fast path: owners send their registrations and stakes as one `utility.batchAll` each, all
// owners at once (many transactions in flight, several per block); the scheduler sends an
// epoch's whole report (1,000 providers) as one `utility.batchAll`.
//
// Prints a progress line per step, the table, which single-provider messages do not stay flat,
// and writes $CARGO_TARGET_DIR/load/results.json (else target/load/results.json). Stops by
// itself after LOAD_TIMEOUT_SEC (default 1,800 s) with what it has.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  bytesAsHex,
  connect,
  defaultArtifactsDir,
  deploy,
  loadBundles,
  providerIdBytes,
  signerFromUri,
  submit,
} from '../client/lib/index.js';
import { startNode } from '../client/test/helpers.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_DIR = process.env.CARGO_TARGET_DIR ? resolve(ROOT, process.env.CARGO_TARGET_DIR) : join(ROOT, 'target');
const RESULTS = join(TARGET_DIR, 'load', 'results.json');
const TIMEOUT_SEC = Number(process.env.LOAD_TIMEOUT_SEC ?? 1800);

// ---- bounds, read from the contracts' own limits ---------------------------------------------
const limitsText = readFileSync(join(ROOT, 'crates/func_interfaces/src/limits.rs'), 'utf8');
function limit(name) {
  const m = new RegExp(`pub const ${name}: \\w+ = ([0-9_]+);`).exec(limitsText);
  if (!m) throw new Error(`limits.rs has no ${name}`);
  return Number(m[1].replace(/_/g, ''));
}
const MAX_BATCH_SIZE = limit('MAX_BATCH_SIZE');
const MAX_PROVIDERS_PER_OWNER = limit('MAX_PROVIDERS_PER_OWNER');
const MAX_PAGE_SIZE = limit('MAX_PAGE_SIZE');

// ---- parameters ----------------------------------------------------------------------------
const FUNC = 10n ** 18n;
const STAKE = 1_000n * FUNC;
const REWARD_PER_EPOCH = 1_000n * FUNC;
const EPOCH_LENGTH = 5; // blocks
const REWARD_DELAY = 3; // a report may land in either of the two epochs after the reported one
const MIN_EPOCHS_LOCKED = 1;
const MODEL = 1;
const NATIVE = 10n ** 16n; // 10,000 units (12 decimals) per owner: fees and storage deposits
// LOAD_QUICK=1: a smoke run (fewer providers and epochs) to check the script itself.
const QUICK = process.env.LOAD_QUICK === '1';
const REPORTED_EPOCHS = QUICK ? 12 : 100;
const EPOCH_CHECKPOINTS = QUICK ? [1, 10, 12] : [1, 10, 100];
const COLUMNS = ['10 providers', '100 providers', '1000 providers', '1 epoch', '10 epochs', '100 epochs'];
/** Most ref_time of the gas limits packed into one batchAll (normal extrinsics: 1,300 G). */
const BATCH_REF_TIME = 1_100_000_000_000n;

// Owners. Stage 1 (10 providers): A (6, the small cluster) and S (4, the single-provider
// probes). Stage 2 (to 100): B at the per-owner cap and two owners of 29. Stage 3 (to 1,000):
// 20 owners at the cap and 26 owners of 10. Z registers the per-checkpoint probe ids.
const STAGES = [
  { total: 10, owners: [['a', 6], ['s', 4]] },
  {
    total: 100,
    owners: [['b', MAX_PROVIDERS_PER_OWNER], ['f0', 29], ['f1', 29]],
  },
  {
    total: QUICK ? 174 : 1000,
    owners: [
      ...Array.from({ length: QUICK ? 2 : 20 }, (_, i) => [`g${i}`, MAX_PROVIDERS_PER_OWNER]),
      ...Array.from({ length: QUICK ? 1 : 26 }, (_, i) => [`h${i}`, 10]),
    ],
  },
];

const started = Date.now();
const secs = () => ((Date.now() - started) / 1000).toFixed(0);
const log = (line) => console.log(`[${secs().padStart(4)} s] ${line}`);

// ---- state ---------------------------------------------------------------------------------
let api;
let node;
let suite;
let pool;
const alice = signerFromUri('//Alice');
const owners = new Map(); // tag → { key, ids, staked }
const staked = []; // every staked provider id, in staking order
const table = new Map(); // row → { column → figure }
const notes = [];
const stats = { transactions: 0, batchedCalls: 0, reportedEpochs: 0, missedReports: 0, retriedReports: 0 };
const durations = {};
/** Per reported epoch (1,000 providers): the heaviest full batch of its report. */
const reportSeries = [];
let column = null;
let lastReported = 0;
let finished = false;

const idHex = (id) => providerIdBytes(id);
const gasOf = (w) => ({ refTime: w.refTime.toBigInt(), proofSize: w.proofSize.toBigInt() });
const giga = (v) => `${(Number(v) / 1e9).toFixed(2)} G`;
const kilo = (v) => `${(Number(v) / 1e3).toFixed(1)} KB`;
const metadata = (id) => JSON.stringify({ url: `https://${id}.example.org`, name: 'node' });

function owner(tag) {
  if (!owners.has(tag)) owners.set(tag, { tag, key: signerFromUri(`//load-${tag}`), ids: [] });
  return owners.get(tag);
}

// ---- dry-runs and transactions ---------------------------------------------------------------

/** Dry-runs `handle.name(args)` from `who`; returns `{ ok, value, reason, gas, required, deposit }`. */
async function dry(handle, name, args, who = alice) {
  const { dry: d, outcome } = await handle.dryRun(name, args, { origin: who.address });
  const deposit = d.storageDeposit.isCharge ? d.storageDeposit.asCharge.toBigInt() : -d.storageDeposit.asRefund.toBigInt();
  return { ...outcome, gas: gasOf(d.gasConsumed), required: gasOf(d.gasRequired), deposit };
}

/** Records the dry-run of `handle.name(args)` under `row` in the current column. */
async function measure(row, handle, name, args, who = alice) {
  const r = await dry(handle, name, args, who);
  if (!table.has(row)) table.set(row, {});
  const cell = r.ok
    ? { ref_time: r.gas.refTime.toString(), proof_size: r.gas.proofSize.toString(), storage_deposit: r.deposit.toString() }
    : { error: r.reason, ref_time: r.gas.refTime.toString(), proof_size: r.gas.proofSize.toString() };
  table.get(row)[column] = cell;
  if (!r.ok) log(`    ${row}: the dry-run failed: ${r.reason}`);
  return r;
}

/** A `contracts.call` of `handle.name(args)` with gas limit `gas` ({refTime, proofSize}). */
function call(handle, name, args, gas) {
  const data = handle.message(name).toU8a(args.map(bytesAsHex));
  const limitWeight = api.registry.createType('WeightV2', gas);
  return { tx: api.tx.contracts.call(handle.address, 0, limitWeight, null, data), ref: gas.refTime };
}

/** Gas limit for calls like one whose dry-run required `required`: twice that, plus a margin. */
const margin = (required) => ({ refTime: required.refTime * 2n + 2_000_000_000n, proofSize: required.proofSize * 2n + 262_144n });

/** Sends `calls` from `signer` packed into `utility.batchAll` extrinsics, one after another. */
async function sendCalls(signer, calls, label) {
  let pack = [];
  let ref = 0n;
  const flush = async () => {
    if (!pack.length) return;
    const tx = pack.length === 1 ? pack[0].tx : api.tx.utility.batchAll(pack.map((c) => c.tx));
    stats.transactions += 1;
    stats.batchedCalls += pack.length;
    await submit(api, tx, signer, { label });
    pack = [];
    ref = 0n;
  };
  for (const c of calls) {
    if (pack.length && ref + c.ref > BATCH_REF_TIME) await flush();
    pack.push(c);
    ref += c.ref;
  }
  await flush();
}

/** A plain transaction (no contract call). */
async function sendTx(signer, tx, label) {
  stats.transactions += 1;
  return submit(api, tx, signer, { label });
}

async function currentEpoch() {
  return Number(await suite.epoch.query('current_epoch'));
}

/** Produces blocks (remarks) until the current epoch is at least `epoch`. */
async function advanceToEpoch(epoch) {
  for (let guard = 0; guard < 10_000 && (await currentEpoch()) < epoch; guard += 1) {
    await sendTx(alice, api.tx.system.remark('load'), 'remark');
  }
}

// ---- filling the model ---------------------------------------------------------------------

let registerGas;
let stakeGas;
/** Gas for a whitelist of one id (the probes). */
const whitelistGas = { refTime: 20_000_000_000n, proofSize: 2_000_000n };

/** Funds, registers, whitelists and stakes the providers of `specs` ([tag, count]). */
async function addOwners(specs) {
  const news = specs.map(([tag, count]) => {
    const o = owner(tag);
    const first = o.ids.length;
    const ids = Array.from({ length: count }, (_, i) => `${tag}-${String(first + i).padStart(2, '0')}`);
    o.ids.push(...ids);
    return { o, ids };
  });
  const total = news.reduce((n, x) => n + x.ids.length, 0);
  // 1. Native funds and FUNC, from the admin.
  const transferDry = await dry(suite.token, 'transfer', [news[0].o.key.address, STAKE, new Uint8Array()]);
  const transferGas = margin(transferDry.required);
  const funding = [];
  for (const { o, ids } of news) {
    funding.push({ tx: api.tx.balances.transferKeepAlive(o.key.address, NATIVE), ref: 1_000_000_000n });
    funding.push(call(suite.token, 'transfer', [o.key.address, STAKE * BigInt(ids.length), new Uint8Array()], transferGas));
  }
  await sendCalls(alice, funding, 'funding owners');
  log(`    funded ${news.length} owners`);
  // 2. Registrations: one batchAll per owner, all owners at once.
  if (!registerGas) {
    const r = await dry(suite.registry, 'register', [idHex(news[0].ids[0]), MODEL, metadata(news[0].ids[0])], news[0].o.key);
    if (!r.ok) throw new Error(`register dry-run: ${r.reason}`);
    registerGas = margin(r.required);
  }
  await Promise.all(
    news.map(({ o, ids }) =>
      sendCalls(o.key, ids.map((id) => call(suite.registry, 'register', [idHex(id), MODEL, metadata(id)], registerGas)), `register (${o.tag})`),
    ),
  );
  log(`    registered ${total} providers`);
  // 3. Whitelist in batches of MAX_BATCH_SIZE.
  const all = news.flatMap((x) => x.ids);
  const lists = [];
  for (let i = 0; i < all.length; i += MAX_BATCH_SIZE) lists.push(all.slice(i, i + MAX_BATCH_SIZE));
  const whitelists = [];
  for (const ids of lists) {
    const r = await dry(suite.registry, 'whitelist', [ids.map(idHex)]);
    if (!r.ok) throw new Error(`whitelist dry-run: ${r.reason}`);
    whitelists.push(call(suite.registry, 'whitelist', [ids.map(idHex)], margin(r.required)));
  }
  await sendCalls(alice, whitelists, 'whitelist');
  log(`    whitelisted ${total} providers`);
  // 4. Stakes: approve + stake × n, one batchAll per owner, all owners at once.
  const approveGas = margin((await dry(suite.token, 'approve', [pool.address, STAKE], news[0].o.key)).required);
  if (!stakeGas) {
    // The dry-run of a stake needs the allowance: measured on the first owner after its approve.
    await sendCalls(news[0].o.key, [call(suite.token, 'approve', [pool.address, STAKE * BigInt(news[0].ids.length)], approveGas)], 'approve');
    const r = await dry(pool, 'stake_for_provider', [idHex(news[0].ids[0])], news[0].o.key);
    if (!r.ok) throw new Error(`stake dry-run: ${r.reason}`);
    stakeGas = margin(r.required);
  }
  await Promise.all(
    news.map(({ o, ids }) =>
      sendCalls(
        o.key,
        [
          call(suite.token, 'approve', [pool.address, STAKE * BigInt(ids.length)], approveGas),
          ...ids.map((id) => call(pool, 'stake_for_provider', [idHex(id)], stakeGas)),
        ],
        `stake (${o.tag})`,
      ),
    ),
  );
  staked.push(...all);
  log(`    staked ${total} providers (${staked.length} in the model)`);
}

// ---- the scheduler's report ----------------------------------------------------------------

/** Reports `epoch` for every staked provider (1 shard each); with `measuring`, dry-runs first. */
async function report(epoch, measuring) {
  const ids = staked.slice();
  const total = REWARD_PER_EPOCH;
  const shards = BigInt(ids.length);
  if (measuring) await measure('provider_staking.set_epoch_reward', pool, 'set_epoch_reward', [epoch, total, shards]);
  await sendCalls(alice, [call(pool, 'set_epoch_reward', [epoch, total, shards], { refTime: 50_000_000_000n, proofSize: 4_000_000n })], 'set_epoch_reward');
  const entries = ids.map((id) => [idHex(id), 1n]);
  if (measuring) {
    await measure('provider_staking.record_provider_shards [1 provider]', pool, 'record_provider_shards', [epoch, entries.slice(0, 1)]);
    if (entries.length >= 10) {
      await measure('provider_staking.record_provider_shards [10 providers]', pool, 'record_provider_shards', [epoch, entries.slice(0, 10)]);
    }
    if (entries.length >= MAX_BATCH_SIZE) {
      await measure(
        `provider_staking.record_provider_shards [${MAX_BATCH_SIZE} providers]`,
        pool,
        'record_provider_shards',
        [epoch, entries.slice(0, MAX_BATCH_SIZE)],
      );
    }
  }
  const batches = [];
  for (let i = 0; i < entries.length; i += MAX_BATCH_SIZE) batches.push(entries.slice(i, i + MAX_BATCH_SIZE));
  // Gas from a dry-run of every batch in this epoch: a provider's report also folds its final
  // pending epochs once its list is long, and providers that claimed have shorter lists, so
  // batches differ and their cost changes over the run. On a failure every batch is dry-run
  // again and sent on its own with a wider margin.
  const calls = [];
  let heaviest = null;
  for (const b of batches) {
    const r = await dry(pool, 'record_provider_shards', [epoch, b]);
    if (!r.ok) throw new Error(`record_provider_shards dry-run: ${r.reason}`);
    if (b.length === MAX_BATCH_SIZE && (!heaviest || r.gas.refTime > heaviest.gas.refTime)) heaviest = r;
    const g = margin(r.required);
    if (g.refTime > BATCH_REF_TIME) g.refTime = BATCH_REF_TIME;
    calls.push(call(pool, 'record_provider_shards', [epoch, b], g));
  }
  if (heaviest) {
    reportSeries.push({
      epoch,
      heaviest_batch_ref_time: heaviest.gas.refTime.toString(),
      heaviest_batch_proof_size: heaviest.gas.proofSize.toString(),
    });
  }
  if (measuring && heaviest) {
    const row = `provider_staking.record_provider_shards [${MAX_BATCH_SIZE} providers, heaviest batch of the epoch]`;
    if (!table.has(row)) table.set(row, {});
    table.get(row)[column] = {
      ref_time: heaviest.gas.refTime.toString(),
      proof_size: heaviest.gas.proofSize.toString(),
      storage_deposit: heaviest.deposit.toString(),
    };
  }
  try {
    await sendCalls(alice, calls, 'record_provider_shards');
  } catch (e) {
    log(`    report of epoch ${epoch}: ${e.message}; again, batch by batch`);
    stats.retriedReports += 1;
    for (const b of batches) {
      const d = await dry(pool, 'record_provider_shards', [epoch, b]);
      if (!d.ok) {
        stats.missedReports += 1;
        notes.push(`report of epoch ${epoch} incomplete: ${d.reason}`);
        log(`    report of epoch ${epoch} incomplete: ${d.reason}`);
        break;
      }
      const wide = { refTime: d.required.refTime * 3n + 5_000_000_000n, proofSize: d.required.proofSize * 3n + 524_288n };
      if (wide.refTime > BATCH_REF_TIME) wide.refTime = BATCH_REF_TIME;
      await sendCalls(alice, [call(pool, 'record_provider_shards', [epoch, b], wide)], 'record_provider_shards (retry)');
    }
  }
  stats.reportedEpochs += 1;
  lastReported = epoch;
}

// ---- checkpoints ---------------------------------------------------------------------------

/**
 * Dry-runs every page of a cluster operation of `who` (`claim_rewards_cluster_from` /
 * `unstake_cluster_from`, from 0 until `next_start` is none); returns `[{ start, r }]`.
 */
async function clusterPages(name, argsOf, who) {
  const pages = [];
  let start = 0;
  for (let i = 0; i <= MAX_PROVIDERS_PER_OWNER; i += 1) {
    const r = await dry(suite.registry, name, argsOf(start), who);
    pages.push({ start, r });
    const next = r.ok ? r.value?.next_start : null;
    if (next === null || next === undefined || Number(next) <= start) break;
    start = Number(next);
  }
  return pages;
}

/** Records a cluster operation's first page under `row` and its heaviest later page. */
function recordPages(row, pages) {
  const put = (key, r) => {
    if (!table.has(key)) table.set(key, {});
    table.get(key)[column] = r.ok
      ? { ref_time: r.gas.refTime.toString(), proof_size: r.gas.proofSize.toString(), storage_deposit: r.deposit.toString(), pages: pages.length }
      : { error: r.reason, ref_time: r.gas.refTime.toString(), proof_size: r.gas.proofSize.toString() };
    if (!r.ok) log(`    ${key}: the dry-run failed: ${r.reason}`);
  };
  put(row, pages[0].r);
  if (pages.length > 1) {
    const heaviest = pages.slice(1).reduce((m, p) => (p.r.gas.proofSize > m.r.gas.proofSize ? p : m));
    put(`${row.replace(/\]$/, '')}, heaviest later page]`, heaviest.r);
  }
  const failed = pages.flatMap((p) => p.r.value?.failed ?? []);
  if (failed.length) notes.push(`${column}: ${row}: ${failed.length} providers failed, e.g. ${JSON.stringify(failed[0], (k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
  return pages;
}

/** Sends every measured page of a cluster operation (one batchAll from `who`). */
function pageCalls(name, argsOf, pages) {
  return pages.filter((p) => p.r.ok).map((p) => call(suite.registry, name, argsOf(p.start), margin(p.r.required)));
}

let probeCount = 0;

/** Single-provider and cluster messages at the current column. `claimMode`: 'catch-up' or 'phase'. */
async function measureMessages({ realClaims }) {
  const z = owner('z');
  const registry = suite.registry;
  probeCount += 1;
  // Probe ids: y (registered only), x (registered + whitelisted, not staked), w (dry-run only).
  const y = `y-${probeCount}`;
  const x = `x-${probeCount}`;
  const w = `w-${probeCount}`;
  const v = `v-${probeCount}`;
  z.ids.push(y, x);
  await sendCalls(z.key, [y, x].map((id) => call(registry, 'register', [idHex(id), MODEL, metadata(id)], registerGas)), 'probe registrations');
  await sendCalls(alice, [call(registry, 'whitelist', [[idHex(x)]], whitelistGas)], 'probe whitelist');

  await measure('provider_registry.register [new id]', registry, 'register', [idHex(w), MODEL, metadata(w)], z.key);
  await measure('provider_registry.update_metadata', registry, 'update_metadata', [idHex('s-03'), metadata('s-03-new')], owner('s').key);
  await measure('provider_registry.whitelist [1 id]', registry, 'whitelist', [[idHex(y)]]);
  await measure('provider_staking.stake_for_provider [first stake]', pool, 'stake_for_provider', [idHex(x)], z.key);
  const toggle = () => sendCalls(alice, [call(registry, 'toggle_automatic_whitelist', [], { refTime: 20_000_000_000n, proofSize: 1_000_000n })], 'toggle auto whitelist');
  await toggle();
  await measure('provider_registry.register_and_stake [auto whitelist]', registry, 'register_and_stake', [idHex(v), MODEL, metadata(v)], z.key);
  await toggle();
  await measure('provider_staking.unstake_provider [whole stake]', pool, 'unstake_provider', [idHex('s-00')], owner('s').key);
  await measure(`provider_registry.get_active_providers [page of ${MAX_PAGE_SIZE}]`, registry, 'get_active_providers', [MODEL, 0, MAX_PAGE_SIZE]);

  // Claims. s-01 and A are kept caught up (their claim covers the latest rewarded epoch only);
  // s-02 and B are caught up at the provider checkpoints and claim nothing during the 100
  // epochs, so there their claim covers 1, 10, 100 epochs.
  const last = Number(await suite.epoch.query('last_claimable_epoch'));
  const since = async (id, who) => Number(await pool.query('claimed_through_of', [idHex(id), who.address])) + 1;
  const s = owner('s');
  // Catch s-01 and A up to the epoch before the last claimable one (when there is anything).
  const catchUps = [];
  const s01From = await since('s-01', s.key);
  if (s01From <= last - 1) {
    const r = await dry(pool, 'claim_rewards', [idHex('s-01'), s01From, last - 1], s.key);
    if (r.ok) catchUps.push(sendCalls(s.key, [call(pool, 'claim_rewards', [idHex('s-01'), s01From, last - 1], margin(r.required))], 'catch-up claim'));
  }
  const aFrom0 = await since('a-00', owner('a').key);
  if (aFrom0 <= last - 1) {
    const r = await dry(registry, 'claim_rewards_cluster', [aFrom0, last - 1], owner('a').key);
    if (r.ok && r.value?.succeeded?.length) {
      catchUps.push(sendCalls(owner('a').key, [call(registry, 'claim_rewards_cluster', [aFrom0, last - 1], margin(r.required))], 'catch-up cluster claim'));
    }
  }
  await Promise.all(catchUps);
  const latest = await measure('provider_staking.claim_rewards [latest rewarded epoch]', pool, 'claim_rewards', [idHex('s-01'), await since('s-01', s.key), last], s.key);
  const aFrom = await since('a-00', owner('a').key);
  const aClaim = await measure(`provider_registry.claim_rewards_cluster [owner of 6, latest epoch]`, registry, 'claim_rewards_cluster', [aFrom, last], owner('a').key);
  const range = await measure('provider_staking.claim_rewards [every epoch since the last claim]', pool, 'claim_rewards', [idHex('s-02'), await since('s-02', s.key), last], s.key);
  let bPages = null;
  let bArgs = null;
  if (owners.get('b')?.ids.length) {
    const bFrom = await since('b-00', owner('b').key);
    bArgs = (start) => [bFrom, last, start];
    bPages = recordPages(
      `provider_registry.claim_rewards_cluster [owner of ${MAX_PROVIDERS_PER_OWNER}, every epoch since the last claim]`,
      await clusterPages('claim_rewards_cluster_from', bArgs, owner('b').key),
    );
    recordPages(
      `provider_registry.unstake_cluster [owner of ${MAX_PROVIDERS_PER_OWNER}]`,
      await clusterPages('unstake_cluster_from', (start) => [start], owner('b').key),
    );
  }
  await measure('provider_registry.unstake_cluster [owner of 6]', registry, 'unstake_cluster', [], owner('a').key);
  for (const [what, r] of [['claim s-01', latest], ['cluster claim A', aClaim], ['claim s-02', range]]) {
    if (r && r.ok && r.value && Array.isArray(r.value.failed) && r.value.failed.length) {
      notes.push(`${column}: ${what}: ${r.value.failed.length} providers failed: ${JSON.stringify(r.value.failed[0])}`);
    }
  }

  // Real claims keep the probes in their state for the next checkpoint.
  const claims = [];
  const claimGas = (r) => margin(r.required);
  if (latest.ok) claims.push([s.key, call(pool, 'claim_rewards', [idHex('s-01'), await since('s-01', s.key), last], claimGas(latest))]);
  if (aClaim.ok) claims.push([owner('a').key, call(registry, 'claim_rewards_cluster', [aFrom, last], claimGas(aClaim))]);
  if (realClaims) {
    if (range.ok) claims.push([s.key, call(pool, 'claim_rewards', [idHex('s-02'), await since('s-02', s.key), last], claimGas(range))]);
    if (bPages) for (const c of pageCalls('claim_rewards_cluster_from', bArgs, bPages)) claims.push([owner('b').key, c]);
  }
  // One owner's calls in one extrinsic (s has two claims); owners in parallel.
  const byOwner = new Map();
  for (const [key, c] of claims) {
    if (!byOwner.has(key.address)) byOwner.set(key.address, { key, calls: [] });
    byOwner.get(key.address).calls.push(c);
  }
  await Promise.all([...byOwner.values()].map(({ key, calls }) => sendCalls(key, calls, 'claims')));
}

/** Prints the figures of the current column. */
function printColumn() {
  for (const [row, cells] of table) {
    const c = cells[column];
    if (!c) continue;
    log(`    ${row}: ${c.error ? `ERROR ${c.error}` : `${giga(c.ref_time)}, ${kilo(c.proof_size)}`}`);
  }
}

// ---- output --------------------------------------------------------------------------------

/** Messages whose cost should not depend on the number of providers or of reported epochs. */
const FLAT = [
  'provider_registry.register [new id]',
  'provider_registry.register_and_stake [auto whitelist]',
  'provider_registry.update_metadata',
  'provider_registry.whitelist [1 id]',
  'provider_staking.stake_for_provider [first stake]',
  'provider_staking.unstake_provider [whole stake]',
  'provider_staking.set_epoch_reward',
  'provider_staking.record_provider_shards [1 provider]',
  'provider_staking.claim_rewards [latest rewarded epoch]',
  'provider_registry.claim_rewards_cluster [owner of 6, latest epoch]',
  'provider_registry.unstake_cluster [owner of 6]',
  `provider_registry.unstake_cluster [owner of ${MAX_PROVIDERS_PER_OWNER}]`,
];
const FLAT_TOLERANCE = 1.1;
/** Issue 12's proof target per message (1.0 MB), for the report series. */
const PROOF_LIMIT_NOTE = 1_000_000;

function flatness() {
  const out = [];
  const ratio = (cells, cols, dim) => {
    const values = cols.map((c) => cells[c]).filter((c) => c && !c.error).map((c) => Number(c[dim]));
    if (values.length < 2) return null;
    return Number((Math.max(...values) / Math.min(...values)).toFixed(3));
  };
  for (const row of FLAT) {
    const cells = table.get(row);
    if (!cells) continue;
    const verdict = { row };
    for (const [name, cols] of [['providers', COLUMNS.slice(0, 3)], ['epochs', COLUMNS.slice(3)]]) {
      verdict[name] = { ref_time: ratio(cells, cols, 'ref_time'), proof_size: ratio(cells, cols, 'proof_size') };
      verdict[`grows_with_${name}`] = [verdict[name].ref_time, verdict[name].proof_size].some((r) => r !== null && r > FLAT_TOLERANCE);
    }
    verdict.flat = !verdict.grows_with_providers && !verdict.grows_with_epochs;
    out.push(verdict);
  }
  return out;
}

function printTable() {
  const width = Math.max(...[...table.keys()].map((k) => k.length), 10);
  const cellW = 20;
  console.log('');
  console.log(`Figures: dry-run ref_time (G) / proof_size (KB) per message; columns: staked providers in the model, then epochs reported for all 1,000 providers.`);
  console.log(`${'message'.padEnd(width)}  ${COLUMNS.map((c) => c.padStart(cellW)).join('')}`);
  console.log('-'.repeat(width + 2 + cellW * COLUMNS.length));
  for (const [row, cells] of table) {
    const text = COLUMNS.map((c) => {
      const f = cells[c];
      if (!f) return '-'.padStart(cellW);
      if (f.error) return 'error'.padStart(cellW);
      return `${(Number(f.ref_time) / 1e9).toFixed(2)} / ${(Number(f.proof_size) / 1e3).toFixed(0)}`.padStart(cellW);
    }).join('');
    console.log(`${row.padEnd(width)}  ${text}`);
  }
}

function writeResults(extra) {
  mkdirSync(dirname(RESULTS), { recursive: true });
  const messages = Object.fromEntries([...table].map(([row, cells]) => [row, cells]));
  const out = {
    date: new Date().toISOString(),
    seconds: Number(secs()),
    parameters: {
      epoch_length: EPOCH_LENGTH,
      epoch_reward_delay: REWARD_DELAY,
      min_epochs_locked: MIN_EPOCHS_LOCKED,
      stake: STAKE.toString(),
      reward_per_epoch: REWARD_PER_EPOCH.toString(),
      max_batch_size: MAX_BATCH_SIZE,
      max_providers_per_owner: MAX_PROVIDERS_PER_OWNER,
      max_page_size: MAX_PAGE_SIZE,
    },
    columns: COLUMNS,
    messages,
    flatness: flatness(),
    stats,
    durations,
    report_series: reportSeries,
    notes,
    ...extra,
  };
  writeFileSync(RESULTS, `${JSON.stringify(out, null, 2)}\n`);
}

// ---- main ----------------------------------------------------------------------------------

async function phase(name, fn) {
  const t0 = Date.now();
  log(`==> ${name}`);
  const r = await fn();
  durations[name] = Number(((Date.now() - t0) / 1000).toFixed(1));
  log(`    done: ${name} (${durations[name]} s)`);
  return r;
}

async function main() {
  const bundles = loadBundles(defaultArtifactsDir());
  node = await phase('start a fresh dev node', () => startNode({ timeoutMs: 120_000 }));
  log(`    node at ${node.url} (log ${node.log})`);
  api = await connect(node.url);
  await phase('deploy the suite and model 1', async () => {
    ({ suite } = await deploy({
      api,
      signer: alice,
      bundles,
      parameters: { epoch_length: EPOCH_LENGTH, min_epochs_locked: MIN_EPOCHS_LOCKED, epoch_reward_delay: REWARD_DELAY, auto_whitelist: false },
    }));
    await suite.router.tx('create_model', [MODEL, 'load-model', 8, 1_000n, STAKE]);
    pool = await suite.pool(MODEL);
    const funding = REWARD_PER_EPOCH * BigInt(REPORTED_EPOCHS + 20);
    await suite.token.tx('approve', [pool.address, funding]);
    await pool.tx('fund_rewards', [funding]);
    // The probe owner: native funds, FUNC and an allowance for its probe stakes.
    const z = owner('z');
    await sendTx(alice, api.tx.balances.transferKeepAlive(z.key.address, NATIVE), 'fund z');
    await suite.token.tx('transfer', [z.key.address, 20n * STAKE, new Uint8Array()]);
    await suite.token.tx('approve', [pool.address, 20n * STAKE], { signer: z.key });
  });

  // Growth with providers.
  for (const [index, stage] of STAGES.entries()) {
    column = COLUMNS[index];
    await phase(`fill to ${stage.total} providers`, () => addOwners(stage.owners));
    await phase(`report an epoch of ${stage.total} providers and measure (column "${column}")`, async () => {
      // Every provider staked in the current epoch; report it once it has ended.
      const epoch = await currentEpoch();
      lastReported = Math.max(lastReported, epoch - 1);
      await advanceToEpoch(epoch + 1);
      await report(epoch, true);
      await advanceToEpoch(epoch + REWARD_DELAY);
      await measureMessages({ realClaims: true });
      printColumn();
    });
  }

  // Growth with epochs: 100 epochs of reports for all 1,000 providers.
  await phase(`report ${REPORTED_EPOCHS} epochs of ${staked.length} providers (claims at 1 / 10 / 100)`, async () => {
    const first = (await currentEpoch());
    lastReported = first - 1; // nothing to report before: the last stage epoch is claimable
    const lastEpoch = first + REPORTED_EPOCHS - 1;
    const measureAt = new Map(EPOCH_CHECKPOINTS.map((k, i) => [first + k - 1, COLUMNS[3 + i]]));
    const pending = [...measureAt.entries()];
    let lastProgress = Date.now();
    while (pending.length) {
      const now = await currentEpoch();
      // Report what has ended (measuring the reports of the checkpoint epochs).
      if (lastReported < Math.min(lastEpoch, now - 1)) {
        for (let e = lastReported + 1; e <= Math.min(lastEpoch, now - 1); e += 1) {
          if (e <= now - REWARD_DELAY) {
            stats.missedReports += 1;
            log(`    epoch ${e} became final before its report: skipped`);
            lastReported = e;
            continue;
          }
          const col = measureAt.get(e);
          if (col) column = col;
          await report(e, Boolean(col));
        }
      }
      // Claims once a checkpoint epoch is claimable.
      const claimable = now - REWARD_DELAY;
      if (pending.length && pending[0][0] <= claimable) {
        const [epoch, col] = pending.shift();
        column = col;
        log(`    checkpoint "${col}" (epoch ${epoch} claimable)`);
        await measureMessages({ realClaims: false });
        printColumn();
        continue;
      }
      if (Date.now() - lastProgress > 15_000) {
        lastProgress = Date.now();
        log(`    epoch ${now}: reported ${lastReported - first + 1}/${REPORTED_EPOCHS} epochs`);
      }
      await sendTx(alice, api.tx.system.remark('load'), 'remark');
    }
  });

  // Claims over the whole run and cluster unstakes, for real; then the invariant.
  const invariant = await phase('cluster claims and unstakes, pool invariant', async () => {
    const last = Number(await suite.epoch.query('last_claimable_epoch'));
    for (const tag of ['b', 'a']) {
      const o = owner(tag);
      const from = Number(await pool.query('claimed_through_of', [idHex(o.ids[0]), o.key.address])) + 1;
      const claimArgs = (start) => [from, last, start];
      const claimPages = await clusterPages('claim_rewards_cluster_from', claimArgs, o.key);
      const claimed = claimPages.reduce((n, p) => n + (p.r.value?.succeeded?.length ?? 0), 0);
      const bad = claimPages.filter((p) => !p.r.ok);
      if (bad.length) notes.push(`final cluster claim of ${tag}: ${bad[0].r.reason}`);
      if (claimed) {
        await sendCalls(o.key, pageCalls('claim_rewards_cluster_from', claimArgs, claimPages), `cluster claim ${tag}`);
      }
      const heaviest = claimPages.reduce((m, p) => (p.r.gas.proofSize > m.r.gas.proofSize ? p : m));
      log(`    ${tag}: claim_rewards_cluster(${from}, ${last}) over ${o.ids.length} providers: ${claimPages.length} page(s), ${claimed} claimed; heaviest page ${giga(heaviest.r.gas.refTime)}, ${kilo(heaviest.r.gas.proofSize)}`);
      const unstakeArgs = (start) => [start];
      const unstakePages = await clusterPages('unstake_cluster_from', unstakeArgs, o.key);
      const unstaked = unstakePages.reduce((n, p) => n + (p.r.value?.succeeded?.length ?? 0), 0);
      await sendCalls(o.key, pageCalls('unstake_cluster_from', unstakeArgs, unstakePages), `unstake cluster ${tag}`);
      const heavy = unstakePages.reduce((m, p) => (p.r.gas.proofSize > m.r.gas.proofSize ? p : m));
      log(`    ${tag}: unstake_cluster over ${o.ids.length} providers: ${unstakePages.length} page(s), ${unstaked} unstaked; heaviest page ${giga(heavy.r.gas.refTime)}, ${kilo(heavy.r.gas.proofSize)}`);
      if (unstaked !== o.ids.length) notes.push(`final unstake_cluster of ${tag}: ${unstaked} of ${o.ids.length} unstaked`);
    }
    const s = owner('s');
    const from = Number(await pool.query('claimed_through_of', [idHex('s-02'), s.key.address])) + 1;
    const c = await dry(pool, 'claim_rewards', [idHex('s-02'), from, last], s.key);
    if (c.ok) {
      await sendCalls(s.key, [call(pool, 'claim_rewards', [idHex('s-02'), from, last], margin(c.required))], 'claim s-02');
      log(`    s-02: claim_rewards(${from}, ${last}): ${giga(c.gas.refTime)}, ${kilo(c.gas.proofSize)}`);
    } else notes.push(`final claim of s-02: ${c.reason}`);
    const held = BigInt(await suite.token.query('balance_of', [pool.address]));
    const stakes = BigInt(await pool.query('effective_staked_balance'));
    const funding = await pool.query('reward_funding');
    const excess = BigInt(await pool.query('excess_funds'));
    const balance = BigInt(funding.balance);
    const reserved = BigInt(funding.reserved);
    const holds = held === stakes + balance + excess && reserved <= balance;
    log(`    pool FUNC ${held} = stakes ${stakes} + reward balance ${balance} + excess ${excess}: ${holds ? 'holds' : 'BROKEN'} (reserved ${reserved})`);
    return { held: held.toString(), stakes: stakes.toString(), reward_balance: balance.toString(), reserved: reserved.toString(), excess: excess.toString(), holds };
  });

  printTable();
  const flat = flatness();
  console.log('');
  console.log(
    `Single-provider (and fixed-size cluster) messages: flat with providers (10 / 100 / 1,000) and with epochs (1 / 10 / 100) within ×${FLAT_TOLERANCE} (max / min of ref_time and proof_size):`,
  );
  for (const v of flat) {
    const where = [v.grows_with_providers && 'providers', v.grows_with_epochs && 'epochs'].filter(Boolean).join(' and ');
    console.log(
      `  ${v.flat ? 'flat     ' : 'NOT FLAT '} ${v.row}: providers ×${v.providers.ref_time} / ×${v.providers.proof_size}, epochs ×${v.epochs.ref_time} / ×${v.epochs.proof_size}${v.flat ? '' : ` (varies with ${where}: ${WHY[v.row] ?? 'see the README'})`}`,
    );
  }
  const page = table.get(`provider_registry.get_active_providers [page of ${MAX_PAGE_SIZE}]`);
  if (page) {
    console.log(
      `  page      provider_registry.get_active_providers [page of ${MAX_PAGE_SIZE}]: reads up to ${MAX_PAGE_SIZE} providers, so it grows until the model has a page of them and is flat after (${COLUMNS.map((c) => (page[c] ? kilo(page[c].proof_size) : '-')).join(' / ')})`,
    );
  }
  if (reportSeries.length) {
    const worst = reportSeries.reduce((m, x) => (BigInt(x.heaviest_batch_ref_time) > BigInt(m.heaviest_batch_ref_time) ? x : m));
    const folds = reportSeries.filter((x) => Number(x.heaviest_batch_proof_size) > PROOF_LIMIT_NOTE).length;
    console.log(
      `  report    the heaviest batch of ${MAX_BATCH_SIZE} over the ${reportSeries.length} reports of 1,000 providers: ${giga(worst.heaviest_batch_ref_time)}, ${kilo(worst.heaviest_batch_proof_size)} (epoch ${worst.epoch}); ${folds} reports had a batch over ${kilo(PROOF_LIMIT_NOTE)}. ${WHY.fold}`,
    );
  }
  if (notes.length) {
    console.log('');
    console.log('Notes');
    for (const n of notes) console.log(`  - ${n}`);
  }
  console.log('');
  console.log(`Transactions: ${stats.transactions} (${stats.batchedCalls} calls), reported epochs ${stats.reportedEpochs}, missed reports ${stats.missedReports}`);
  console.log(`Pool invariant: ${invariant.holds ? 'holds' : 'BROKEN'}`);
  writeResults({ invariant, complete: true });
  console.log(`Results: ${RESULTS} (${secs()} s)`);
  finished = true;
  return invariant.holds && stats.missedReports === 0;
}

/** Why a message grows, where known (from the contracts' code). */
const WHY = {
  'provider_staking.set_epoch_reward':
    'a report first releases the epochs that became final since the pool last changed and rewrites the list of open (reported, not final) epochs: with a report every epoch that list holds the reward-delay window instead of one epoch; bounded by the delay and the boosts, not by the history',
  'provider_staking.record_provider_shards [1 provider]':
    'a report folds a provider\'s final pending epochs into its ledger only once its pending list holds more than FOLD_AT = 8 epochs: the report that folds pays for them; the cost alternates between the two figures and does not grow with the history',
  'provider_staking.claim_rewards [latest rewarded epoch]':
    'a claim always folds the provider\'s pending list first: its cost follows that list (at most FOLD_AT + the reward delay epochs), not the history',
  'provider_registry.claim_rewards_cluster [owner of 6, latest epoch]':
    'the cluster claim folds each provider\'s pending list like a single claim',
  fold: 'A batch costs more when its providers\' pending lists pass FOLD_AT = 8 and the report folds their final epochs into their ledgers (providers that never claim fold together every few epochs).',
};

async function shutdown() {
  try {
    await api?.disconnect();
  } catch {
    // ignore
  }
  await node?.stop();
}

const watchdog = setTimeout(async () => {
  log(`time limit of ${TIMEOUT_SEC} s reached: stopping with what was measured`);
  try {
    printTable();
    writeResults({ complete: false, stopped: 'time limit' });
  } catch {
    // ignore
  }
  await shutdown();
  process.exit(3);
}, TIMEOUT_SEC * 1000);

main()
  .then(async (ok) => {
    clearTimeout(watchdog);
    await shutdown();
    process.exit(ok ? 0 : 1);
  })
  .catch(async (e) => {
    clearTimeout(watchdog);
    log(`load run failed: ${e?.stack ?? e}`);
    try {
      if (!finished) {
        printTable();
        writeResults({ complete: false, error: String(e?.message ?? e) });
      }
    } catch {
      // ignore
    }
    await shutdown();
    process.exit(1);
  });
