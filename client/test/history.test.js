// `func history` and client/lib/history.js on a real substrate-contracts-node with archive state:
// a provider's life (stake, reports, claims, unstake) read back from the suite's events, by
// provider, by owner and by scheduler, over a range older than the 256 blocks a default node keeps.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Suite, UserError, advanceBlocks, bestBlock, connect, deploy, loadBundles, ops, parseAmount, signerFromUri, toJson } from '../lib/index.js';
import { describeEntry, historyJsonLines, historyTable, historyTotals, loadHistory } from '../lib/history.js';
import { requireBundles } from './helpers.js';
import { startArchiveNode } from './archive-node.js';

const FUNC = (n) => parseAmount(String(n));
const MODEL = 1;
const STAKE = FUNC(1000);
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'func.js');

describe('history from the events on an archive node', { concurrency: false, timeout: 10 * 60_000 }, () => {
  let node;
  let api;
  let deploymentFile;
  let E;
  let unstakeBlock;
  const s = {};
  const addr = (who) => s[who].signer.address;

  before(async () => {
    const bundles = loadBundles(requireBundles());
    node = await startArchiveNode();
    api = await connect(node.url);
    const out = await deploy({
      api,
      signer: signerFromUri('//Alice'),
      bundles,
      network: 'history-test',
      url: node.url,
      parameters: { epoch_length: 5, min_epochs_locked: 2, epoch_reward_delay: 2, auto_whitelist: true },
      roles: [{ role: 'Scheduler', account: signerFromUri('//Dave').address }],
    });
    for (const who of ['Alice', 'Bob', 'Dave', 'Ferdie']) s[who] = new Suite(api, signerFromUri(`//${who}`), bundles, out.deployment);
    await ops.createModel(s.Alice, { modelId: MODEL, name: 'llama-3-8b', shards: 4, computeUnits: 8, stakeAmount: STAKE });
    out.deployment.models = s.Alice.deployment.models;
    await ops.transfer(s.Alice, addr('Bob'), FUNC(5000));
    await ops.fundRewards(s.Alice, MODEL, FUNC(1000));
    deploymentFile = join(mkdtempSync(join(tmpdir(), 'func-history-')), 'history-test.json');
    writeFileSync(deploymentFile, `${toJson(out.deployment)}\n`);

    // a provider's life: two stakes, two reported epochs, a claim, a cluster claim, an unstake
    for (const id of ['h-1', 'h-2']) await ops.registerAndStake(s.Bob, id, MODEL, JSON.stringify({ url: `https://${id}.example` }));
    E = Number(await s.Bob.epoch.query('current_epoch')) + 1;
    for (const e of [E, E + 1]) {
      await ops.advanceToEpoch(s.Ferdie, e + 1);
      if (e === E) {
        // claims never pass an unreported staked epoch: the scheduler closes the ones before E
        const pool = await s.Dave.pool(MODEL);
        if ((await pool.tryQuery('close_unreported_epochs', [E - 1])).ok) await pool.tx('close_unreported_epochs', [E - 1]);
      }
      await ops.setEpochRewards(s.Dave, MODEL, e, FUNC(100), 10n, [['h-1', 6n], ['h-2', 4n]]);
    }
    await ops.advanceToEpoch(s.Ferdie, E + 3);
    await ops.claim(s.Bob, 'h-1', { from: 1, to: E + 1 });
    await ops.claimCluster(s.Bob, { from: 1, to: E + 1 });
    const stake = await (await s.Bob.pool(MODEL)).query('get_stake', [new TextEncoder().encode('h-1')]);
    await ops.advanceToEpoch(s.Ferdie, Number(stake.last_stake_epoch) + 2);
    unstakeBlock = (await ops.unstake(s.Bob, 'h-1')).blockNumber;
  });

  after(async () => {
    await api?.disconnect();
    await node?.cleanup();
  });

  test("a provider's stakes, reports, claim and unstake, in block order", async () => {
    const h = await loadHistory(s.Ferdie, { provider: 'h-1' });
    const kinds = h.entries.map((e) => e.kind);
    assert.deepEqual(kinds, ['stake', 'report', 'shards', 'report', 'shards', 'claim', 'unstake']);
    const [stake, report] = h.entries;
    assert.equal(stake.amount, STAKE);
    assert.equal(stake.provider, 'h-1');
    assert.equal(stake.owner, addr('Bob'));
    assert.equal(stake.signer, addr('Bob'));
    assert.equal(stake.model_id, MODEL);
    assert.equal(report.epoch, E);
    assert.equal(report.total, FUNC(100));
    assert.equal(report.total_shards, 10n);
    assert.equal(report.signer, addr('Dave'));
    assert.equal(report.model_id, MODEL, 'a report names its pool by model');
    const claim = h.entries.find((e) => e.kind === 'claim');
    assert.equal(claim.amount, FUNC(120));
    assert.deepEqual([claim.from_epoch, claim.to_epoch], [1, E + 1]);
    assert.equal(claim.text, `claimed 120 FUNC for epochs 1–${E + 1}`);
    const unstake = h.entries.at(-1);
    assert.equal(unstake.block, unstakeBlock);
    assert.equal(unstake.amount, STAKE);
    assert.match(unstake.time, /^\d{4}-\d\d-\d\dT/);
    for (let i = 1; i < h.entries.length; i += 1) assert.ok(h.entries[i].block >= h.entries[i - 1].block);
  });

  test("an owner's history covers every provider; a scheduler's covers the reports it signed", async () => {
    const bob = await loadHistory(s.Ferdie, { account: addr('Bob') });
    const t = historyTotals(bob.entries);
    assert.deepEqual(t, { staked: 2n * STAKE, unstaked: STAKE, claimed: FUNC(200), reports: 2 });
    assert.deepEqual(bob.entries.filter((e) => e.kind === 'claim').map((e) => [e.provider, e.amount]), [['h-1', FUNC(120)], ['h-2', FUNC(80)]]);
    const dave = await loadHistory(s.Ferdie, { account: addr('Dave') });
    assert.deepEqual(dave.entries.map((e) => e.kind), ['report', 'shards', 'report', 'shards']);
    assert.ok(dave.entries.every((e) => e.signer === addr('Dave')));
    const ferdie = await loadHistory(s.Ferdie, { account: addr('Ferdie') });
    assert.deepEqual(ferdie.entries, [], 'an account with no provider and no report has no history');
  });

  test('blocks older than a default node keeps are read from the archive; a narrow range reads only its blocks', async () => {
    const first = (await loadHistory(s.Ferdie, { provider: 'h-1' })).entries[0].block;
    const more = Math.max(0, first + 257 - (await bestBlock(api)));
    const t0 = Date.now();
    await advanceBlocks(api, more, s.Ferdie.signer);
    console.error(`${more} blocks in ${Date.now() - t0} ms`);
    const best = await bestBlock(api);
    const t1 = Date.now();
    const all = await loadHistory(s.Ferdie, { provider: 'h-1', fromBlock: 1, toBlock: best });
    console.error(`history of blocks 1–${best}: ${all.entries.length} events in ${Date.now() - t1} ms`);
    assert.equal(all.entries.length, 7);
    assert.ok(best - all.entries[0].block > 256, 'the stake is older than 256 blocks');
    const only = await loadHistory(s.Ferdie, { provider: 'h-1', fromBlock: unstakeBlock, toBlock: unstakeBlock });
    assert.deepEqual(only.entries.map((e) => e.kind), ['unstake']);
    assert.equal(only.blocks_read, 1);
  });

  test('bad ranges and questions are refused in words', async () => {
    const best = await bestBlock(api);
    await assert.rejects(loadHistory(s.Ferdie, { provider: 'h-1', toBlock: best + 10 }), (e) => e instanceof UserError && /is not there yet/.test(e.message));
    await assert.rejects(loadHistory(s.Ferdie, { provider: 'h-1', fromBlock: 9, toBlock: 3 }), (e) => e instanceof UserError && /empty/.test(e.message));
    await assert.rejects(loadHistory(s.Ferdie, {}), (e) => e instanceof UserError && /history of what/.test(e.message));
    assert.equal(describeEntry({ kind: 'stake', amount: STAKE, epoch: 3 }), 'staked 1,000 FUNC in epoch 3');
    assert.equal(historyJsonLines([{ kind: 'stake', amount: 5n }]), '{"kind":"stake","amount":"5"}');
    assert.match(historyTable([{ block: 7, kind: 'claim', provider: 'p', text: 'claimed 1 FUNC for epochs 1–2' }]), /^block +time +model +kind +provider +what\n7 +claim +p +claimed 1 FUNC/);
  });

  test('func history: a table, and JSON lines with --json', async () => {
    const run = (...args) =>
      promisify(execFile)(process.execPath, [CLI, 'history', ...args, '--url', node.url, '--deployment', deploymentFile, '--quiet'], { env: { ...process.env, FUNC_SURI: '//Ferdie' } });
    const table = (await run('--provider', 'h-1')).stdout;
    assert.match(table, /history of provider "h-1", blocks \d+–\d+: 7 event\(s\)/);
    assert.match(table, /claimed 120 FUNC for epochs 1–/);
    assert.match(table, /staked 1,000 FUNC · unstaked 1,000 FUNC · claimed 120 FUNC · 2 report\(s\)/);
    const lines = (await run('--account', '//Bob', '--json')).stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.filter((l) => l.kind === 'stake').length, 2);
    assert.equal(lines.find((l) => l.kind === 'unstake').amount, STAKE.toString());
    await assert.rejects(run(), (e) => e.code === 1 && /history of what/.test(e.stderr));
  });
});
