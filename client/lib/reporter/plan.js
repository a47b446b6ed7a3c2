// What to send so that one epoch's report on chain equals its file. Pure: chain figures in,
// steps out. The order keeps every intermediate state acceptable to the pool:
//   1. lower the shards that go down (0 removes a record), so the recorded sum only falls;
//   2. set_epoch_reward when total or total_shards differ — the recorded sum is now at most
//      the file's sum, which is at most the new total_shards;
//   3. raise the shards that go up, batch by batch: the recorded sum climbs to the file's sum.
// Each batch holds at most MAX_BATCH_SIZE providers.
import { BOUNDS } from '../limits.js';

/**
 * @param {object} a
 * @param {{total: bigint, totalShards: bigint, shards: Map<string, bigint>, sum: bigint, empty: boolean}} a.report the file
 * @param {{total: bigint, total_shards: bigint, recorded_shards: bigint} | null} a.reward `epoch_reward(e)`
 * @param {Map<string, bigint>} a.chainShards `provider_shards(id, e)` of every id in the file and of
 *   any other id the reporter could name (registered providers of the model)
 * @param {number} [a.batchSize]
 * @returns {{ equal: boolean, steps: Array<{kind: 'lower'|'reward'|'raise', batch?: Array<[string, bigint]>, total?: bigint, totalShards?: bigint}>, unnamed: bigint }}
 *   `unnamed`: shards recorded on chain for providers the reporter cannot name (not in the
 *   file and not registered any more); they cannot be removed.
 */
export function planEpoch({ report, reward, chainShards, batchSize = BOUNDS.MAX_BATCH_SIZE }) {
  const want = new Map(report.shards);
  for (const id of chainShards.keys()) if (!want.has(id)) want.set(id, 0n);
  const lower = [];
  const raise = [];
  let named = 0n;
  for (const id of [...want.keys()].sort()) {
    const have = chainShards.get(id) ?? 0n;
    const target = want.get(id);
    named += have;
    if (target < have) lower.push([id, target]);
    else if (target > have) raise.push([id, target]);
  }
  const recorded = reward ? BigInt(reward.recorded_shards) : 0n;
  const unnamed = recorded > named ? recorded - named : 0n;
  const rewardDiffers = !reward || BigInt(reward.total) !== report.total || BigInt(reward.total_shards) !== report.totalShards;
  const steps = [];
  const batches = (list, kind) => {
    for (let i = 0; i < list.length; i += batchSize) steps.push({ kind, batch: list.slice(i, i + batchSize) });
  };
  batches(lower, 'lower');
  if (rewardDiffers) steps.push({ kind: 'reward', total: report.total, totalShards: report.totalShards });
  batches(raise, 'raise');
  const equal = steps.length === 0 && unnamed === 0n && recorded === report.sum;
  return { equal, steps, unnamed };
}

/** The figures of a plain `epoch_reward` answer as BigInts (null stays null). */
export function rewardOf(value) {
  if (!value) return null;
  return {
    total: BigInt(value.total ?? 0),
    boost: BigInt(value.boost ?? 0),
    total_shards: BigInt(value.total_shards ?? 0),
    recorded_shards: BigInt(value.recorded_shards ?? 0),
  };
}

/** "a=3, b=0 (removed)" for a log line (at most `max` entries, then "… and N more"). */
export function describeBatch(batch, max = 20) {
  const parts = batch.slice(0, max).map(([id, n]) => (n === 0n ? `${id}=0 (removed)` : `${id}=${n}`));
  if (batch.length > max) parts.push(`… and ${batch.length - max} more`);
  return parts.join(', ');
}
