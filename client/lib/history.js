// History of an account or a provider, read back from the suite's contract events over a block
// range: stakes, unstakes, claims and the scheduler's reports. The one source of `func history`
// and of the dapp's history view. Browser-safe (no Node-only imports).
//
// Each block of the range costs two reads (its hash, its events); a block holding a suite event
// costs one more (the block, for its signer and timestamp). Reading a block's events needs the
// node to still hold that block's state: a node started with `--state-pruning archive` holds all
// of it, a default node only the last 256 blocks. A long production chain is read with an
// indexer instead (docs/PLATFORM.md).
import { bestBlock } from './chain.js';
import { UserError, formatFunc, providerIdBytes, showBytes } from './codec.js';

/** The events history reads, by name → kind. */
export const HISTORY_EVENTS = Object.freeze({
  ProviderStaked: 'stake',
  ProviderUnstaked: 'unstake',
  ProviderClaimedRewards: 'claim',
  RewardSetForEpoch: 'report',
  ProviderShardsRecorded: 'shards',
});

export const KIND_WORDS = Object.freeze({
  stake: 'staked',
  unstake: 'unstaked',
  claim: 'claimed',
  report: 'epoch reported',
  shards: 'shards recorded',
});

const big = (v) => (v === null || v === undefined ? null : BigInt(v));
const num = (v) => (v === null || v === undefined ? null : Number(v));

/** Runs `fn` over `items` with at most `limit` at once, keeping the order of the results. */
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

function prunedError(e, block) {
  const msg = String(e?.message ?? e);
  if (/State already discarded|UnknownBlock|not found|pruned/i.test(msg)) {
    return new UserError(
      `the node no longer holds the state of block ${block} (it keeps only recent blocks): run the node with --state-pruning archive, or read a later range`,
    );
  }
  return e;
}

/** The model pools of the suite: `Map(address → model id)`. */
async function poolModels(suite) {
  const map = new Map();
  const count = Number(await suite.router.query('model_count'));
  for (let start = 0; map.size < count && start <= count + 100; start += 100) {
    const page = await suite.router.query('get_models', [start, 100]);
    if (!page || page.length === 0) break;
    for (const [id] of page) {
      const pool = await suite.pool(Number(id));
      map.set(String(pool.address), Number(id));
    }
  }
  return map;
}

/** One history entry from a decoded suite event, or null when the event is not one history reads. */
export function entryOf(ev, { block, index, time = null, signer = null, models = new Map() }) {
  const kind = HISTORY_EVENTS[ev.name];
  if (!kind || ev.contract !== 'provider_staking') return null;
  const a = ev.args;
  const e = {
    block,
    index,
    time,
    kind,
    model_id: a.model_id !== undefined ? num(a.model_id) : (models.get(String(ev.address)) ?? null),
    pool: ev.address,
    provider: a.id !== undefined ? showBytes(a.id) : null,
    owner: a.owner ?? null,
    signer,
    epoch: num(a.epoch),
    from_epoch: num(a.from_epoch),
    to_epoch: num(a.to_epoch),
    amount: big(a.amount),
    total: big(a.total),
    boost: big(a.boost),
    total_shards: big(a.total_shards),
    providers: num(a.providers),
    recorded_shards: big(a.recorded_shards),
  };
  for (const k of Object.keys(e)) if (e[k] === null) delete e[k];
  e.text = describeEntry(e);
  return e;
}

/** The entry in words: "staked 1,000 FUNC in epoch 4", "claimed 120 FUNC for epochs 1–5", … */
export function describeEntry(e) {
  switch (e.kind) {
    case 'stake':
      return `staked ${formatFunc(e.amount)} in epoch ${e.epoch}`;
    case 'unstake':
      return `unstaked ${formatFunc(e.amount)} in epoch ${e.epoch}`;
    case 'claim':
      return `claimed ${formatFunc(e.amount)} for epochs ${e.from_epoch}–${e.to_epoch}`;
    case 'report':
      return `epoch ${e.epoch} reported: ${formatFunc(e.total)}${e.boost ? ` + boost ${formatFunc(e.boost)}` : ''} over ${e.total_shards} shards`;
    case 'shards':
      return `epoch ${e.epoch}: shards of ${e.providers} provider(s) recorded (${e.recorded_shards} of the epoch so far)`;
    default:
      return e.kind;
  }
}

/**
 * Reads the history of an account or a provider.
 * @param {import('./suite.js').Suite} suite
 * @param {object} o `{ account, provider, fromBlock, toBlock, concurrency, onProgress, hex }`:
 *   `account` (SS58) matches stakes, unstakes and claims it owns, reports it signed, and the
 *   reports of the pools its providers are staked in; `provider` (an id) matches its stakes,
 *   unstakes and claims and the reports of its model's pool. `fromBlock` defaults to the
 *   deployment's first block, `toBlock` to the best block.
 * @returns {Promise<{ from: number, to: number, entries: object[], blocks_read: number }>}
 */
export async function loadHistory(suite, { account = null, provider = null, fromBlock, toBlock, concurrency = 8, onProgress, hex = false } = {}) {
  if (!account && !provider) throw new UserError('history of what? give an account (--account) or a provider id (--provider)');
  if (account && provider) throw new UserError('give either an account or a provider, not both');
  const api = suite.api;
  const best = await bestBlock(api);
  const to = toBlock === undefined || toBlock === null ? best : Number(toBlock);
  const from = fromBlock === undefined || fromBlock === null ? Math.max(1, Number(suite.deployment?.deployedAt?.block ?? 1)) : Number(fromBlock);
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < from) throw new UserError(`the block range ${from}–${to} is empty or not whole numbers`);
  if (to > best) throw new UserError(`block ${to} is not there yet: the best block is ${best}`);

  const models = await poolModels(suite);
  const pools = new Set();
  let providerText = null;
  if (provider) {
    const bytes = providerIdBytes(provider, { hex });
    providerText = showBytes(bytes);
    const info = await suite.registry.query('get_provider', [bytes]);
    if (info) pools.add(String((await suite.pool(Number(info.model_id))).address));
  } else {
    const ids = (await suite.registry.query('get_provider_ids_by_owner', [account])) ?? [];
    for (const id of ids) {
      const info = await suite.registry.query('get_provider', [id]);
      if (info) pools.add(String((await suite.pool(Number(info.model_id))).address));
    }
  }

  const numbers = [];
  for (let b = from; b <= to; b += 1) numbers.push(b);
  let done = 0;
  const found = await mapLimit(numbers, concurrency, async (block) => {
    let hash;
    let records;
    try {
      hash = await api.rpc.chain.getBlockHash(block);
      records = await api.query.system.events.at(hash);
    } catch (e) {
      throw prunedError(e, block);
    }
    done += 1;
    if (onProgress && done % 200 === 0) onProgress(`  … ${done}/${numbers.length} blocks read`);
    const emitted = records
      .map((r, i) => [r, i])
      .filter(([r]) => r.event.section === 'contracts' && r.event.method === 'ContractEmitted');
    if (!emitted.length) return [];
    const decoded = [];
    for (const [r, i] of emitted) {
      const ev = await suite.events.decode(r);
      if (HISTORY_EVENTS[ev.name] && ev.contract === 'provider_staking') decoded.push({ ev, r, i });
    }
    if (!decoded.length) return [];
    const signed = await api.rpc.chain.getBlock(hash);
    const exts = signed.block.extrinsics;
    let time = null;
    for (const x of exts) {
      if (x.method.section === 'timestamp' && x.method.method === 'set') time = new Date(Number(x.method.args[0].toString())).toISOString();
    }
    return decoded.map(({ ev, r, i }) => {
      const phase = r.phase;
      const ext = phase.isApplyExtrinsic ? exts[phase.asApplyExtrinsic.toNumber()] : null;
      const signer = ext?.isSigned ? ext.signer.toString() : null;
      return entryOf(ev, { block, index: i, time, signer, models });
    });
  });
  const all = found.flat().filter(Boolean);
  // pools of the provider's / account's own events count too (a former model, a deregistered id)
  for (const e of all) {
    if ((provider && e.provider === providerText) || (account && e.owner === account)) pools.add(String(e.pool));
  }
  const entries = all.filter((e) => {
    if (e.kind === 'report' || e.kind === 'shards') return pools.has(String(e.pool)) || (account && e.signer === account);
    return provider ? e.provider === providerText : e.owner === account;
  });
  return { from, to, entries, blocks_read: numbers.length };
}

/** Sums of a history: `{ staked, unstaked, claimed, reports }` (FUNC as BigInt). */
export function historyTotals(entries) {
  const sum = (k) => entries.filter((e) => e.kind === k).reduce((a, e) => a + (e.amount ?? 0n), 0n);
  return { staked: sum('stake'), unstaked: sum('unstake'), claimed: sum('claim'), reports: entries.filter((e) => e.kind === 'report').length };
}

/** A plain-text table of entries (the CLI's default output). */
export function historyTable(entries) {
  const rows = entries.map((e) => [String(e.block), e.time ? e.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '', e.model_id === undefined ? '' : String(e.model_id), e.kind, e.provider ?? '', e.text]);
  const head = ['block', 'time', 'model', 'kind', 'provider', 'what'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

/** One JSON object per line (amounts as decimal strings of base units). */
export function historyJsonLines(entries) {
  return entries.map((e) => JSON.stringify(e, (k, v) => (typeof v === 'bigint' ? v.toString() : v))).join('\n');
}

/**
 * `func history` (client/bin/func.js): parses the command's options and prints the table or
 * JSON lines. `open(values)` connects as the CLI does; `account(text)` resolves //Dev names.
 */
export async function historyCommand(values, positionals, { open, account, parseIntArg, print = console.log, progress }) {
  const who = values.account ?? null;
  const id = values.provider ?? positionals[0] ?? null;
  if (!who && !id) throw new UserError('history of what? give --account ACC or --provider ID (see func help)');
  const { api, suite } = await open(values);
  try {
    const h = await loadHistory(suite, {
      account: who ? account(who, '--account') : null,
      provider: who ? null : id,
      fromBlock: values['from-block'] !== undefined ? parseIntArg(values['from-block'], '--from-block') : undefined,
      toBlock: values['to-block'] !== undefined ? parseIntArg(values['to-block'], '--to-block') : undefined,
      hex: values['hex-id'],
      onProgress: progress,
    });
    if (values.json) {
      if (h.entries.length) print(historyJsonLines(h.entries));
      return h;
    }
    const t = historyTotals(h.entries);
    print(`history of ${who ? `account ${account(who, '--account')}` : `provider "${id}"`}, blocks ${h.from}–${h.to}: ${h.entries.length} event(s)`);
    if (h.entries.length) print(historyTable(h.entries));
    print(`staked ${formatFunc(t.staked)} · unstaked ${formatFunc(t.unstaked)} · claimed ${formatFunc(t.claimed)} · ${t.reports} report(s)`);
    return h;
  } finally {
    await api.disconnect();
  }
}
