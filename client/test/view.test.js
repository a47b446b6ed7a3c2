// View models and preview/send (client/lib/view.js, actions.js, rules.js) against a real
// substrate-contracts-node with the suite deployed: status derivation, epoch math, reward rows.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Suite, advanceBlocks, connect, deploy, loadBundles, ops, parseAmount, providerIdBytes, signerFromUri } from '../lib/index.js';
import * as view from '../lib/view.js';
import { addressSigner, preflight, previewAction, sendAction } from '../lib/actions.js';
import { checkRegistration } from '../lib/rules.js';
import { requireBundles, startNode } from './helpers.js';

const FUNC = (n) => parseAmount(String(n));
const MODEL = 1;
const STAKE = FUNC(1000);

describe('view models on a real contracts node', { concurrency: false, timeout: 20 * 60_000 }, () => {
  let node;
  let api;
  const s = {};
  /** The scheduler closes the staked epochs before E that nobody reported (claims never pass an unreported one). */
  const closeBefore = async (e) => {
    const pool = await s.Dave.pool(MODEL);
    if ((await pool.tryQuery('close_unreported_epochs', [e - 1])).ok) await pool.tx('close_unreported_epochs', [e - 1]);
  };
  const nonce = async (who) => (await api.query.system.account(s[who].signer.address)).nonce.toNumber();

  before(async () => {
    const bundles = loadBundles(requireBundles());
    node = await startNode();
    await cryptoWaitReady();
    api = await connect(node.url);
    const out = await deploy({
      api,
      signer: signerFromUri('//Alice'),
      bundles,
      network: 'view-test',
      url: node.url,
      parameters: { epoch_length: 6, min_epochs_locked: 2, epoch_reward_delay: 2, auto_whitelist: false },
      roles: [{ role: 'Scheduler', account: signerFromUri('//Dave').address }],
    });
    for (const who of ['Alice', 'Bob', 'Dave', 'Ferdie']) s[who] = new Suite(api, signerFromUri(`//${who}`), bundles, out.deployment);
    await ops.createModel(s.Alice, { modelId: MODEL, name: 'llama-3-8b', shards: 4, computeUnits: 8, stakeAmount: STAKE });
    await ops.transfer(s.Alice, s.Bob.signer.address, FUNC(5000));
    await ops.fundRewards(s.Alice, MODEL, FUNC(1000));
  });

  after(async () => {
    await api?.disconnect();
    await node?.stop();
  });

  test('local registration checks say what the contract says', async () => {
    const cases = [
      { id: 'p', url: 'ftp://x' },
      { id: '', url: 'https://a' },
      { id: 'x'.repeat(65), url: 'https://a' },
      { id: 'p', url: 'https://a', name: 'n'.repeat(1030) },
    ];
    for (const c of cases) {
      const { metadata, problems } = checkRegistration(c);
      assert.ok(problems.length > 0, JSON.stringify(c));
      // the contract itself (not ops.register, which refuses these before sending)
      const o = await s.Bob.registry.tryQuery('register', [providerIdBytes(c.id), MODEL, metadata]);
      assert.equal(o.ok, false);
      assert.equal(o.reason, problems[0].text, JSON.stringify(c));
      // and the dapp's preview refuses them, sending nothing
      await assert.rejects(previewAction(s.Bob, (x) => ops.register(x, c.id, MODEL, metadata)), (e) => e.message.endsWith(problems[0].text));
    }
  });

  test('preview: fee and storage deposit, nothing sent; a refusal throws in words', async () => {
    const n0 = await nonce('Bob');
    const meta = checkRegistration({ id: 'bob-1', url: 'https://bob.example' }).metadata;
    const p = await previewAction(s.Bob, (x) => ops.register(x, 'bob-1', MODEL, meta));
    assert.equal(p.steps.length, 1);
    assert.equal(p.steps[0].message, 'register');
    assert.ok(p.fee > 0n);
    assert.ok(p.storageDeposit > 0n, 'a registration holds a storage deposit');
    assert.equal(await nonce('Bob'), n0, 'a preview sends nothing');
    // read-only address: the same preview works without a key
    const ro = new Suite(api, addressSigner(s.Bob.signer.address, { readOnly: true }), s.Bob.bundles, s.Bob.deployment);
    assert.equal((await previewAction(ro, (x) => ops.register(x, 'bob-1', MODEL, meta))).steps.length, 1);
    const seen = [];
    const r = await sendAction(s.Bob, (x) => ops.register(x, 'bob-1', MODEL, meta), { onStep: (st) => seen.push(st.state) });
    assert.deepEqual(seen, ['sending', 'included']);
    assert.ok(r.steps[0].blockNumber > 0);
    assert.ok(r.steps[0].events.some((e) => e.name === 'ProviderRegistered'));
    assert.equal(await nonce('Bob'), n0 + 1);
    // stake before whitelisting: refused before anything is sent
    await assert.rejects(previewAction(s.Bob, (x) => ops.stake(x, 'bob-1')), /refused: the provider is not whitelisted/);
    assert.equal(await nonce('Bob'), n0 + 1);
  });

  test('status follows the chain through every condition', async () => {
    const models = await view.loadModels(s.Bob);
    assert.equal(models.length, 1);
    assert.equal(models[0].stake_amount, STAKE);
    assert.equal(models[0].active_providers, 0);
    const check = async (expect) => {
      const p = await view.loadProvider(s.Bob, 'bob-1');
      assert.equal(p.status.active, p.active, 'derived status equals registry.active');
      assert.deepEqual(p.status.problems.map((x) => x.condition), expect);
      return p;
    };
    await check(['stake', 'whitelisted']);
    await ops.whitelist(s.Alice, ['bob-1']);
    let p = await check(['stake']);
    assert.equal(p.missing, STAKE);
    // approve exactly the missing amount, then stake: two steps, the second checked after the first
    const pre = await previewAction(s.Bob, (x) => ops.stake(x, 'bob-1', { amount: p.missing }));
    assert.deepEqual(pre.steps.map((x) => [x.message, x.ok]), [['PSP22::approve', true], ['stake_for_provider', false]]);
    assert.match(pre.steps[1].reason, /allowance/);
    await sendAction(s.Bob, (x) => ops.stake(x, 'bob-1', { amount: p.missing }));
    p = await check([]);
    assert.equal(p.staked, STAKE);
    assert.equal(BigInt(await s.Bob.token.query('allowance', [s.Bob.signer.address, p.pool])), 0n);
    assert.equal(p.lock.unlocked, false);
    assert.equal(p.lock.unlock_epoch, p.lock.last_stake_epoch + 2);
    assert.ok(p.lock.eta.blocks > 0);
    await ops.jail(s.Alice, 'bob-1', 3);
    p = await check(['jailed']);
    assert.match(p.status.problems[0].text, /jailed until epoch \d+/);
    await ops.unjail(s.Alice, 'bob-1');
    await ops.deactivate(s.Bob, 'bob-1');
    await check(['deactivated']);
    await ops.reactivate(s.Bob, 'bob-1');
    await s.Alice.router.tx('disable_model', [MODEL]);
    await check(['model']);
    await s.Alice.router.tx('enable_model', [MODEL]);
    await check([]);
    assert.equal((await view.loadModels(s.Bob))[0].active_providers, 1);
    const page = await view.loadActivePage(s.Bob, MODEL, 0, 10);
    assert.deepEqual(page.providers.map((x) => [x.id, x.url]), [['bob-1', 'https://bob.example']]);
    const roles = await view.loadRoles(s.Bob, s.Dave.signer.address);
    assert.deepEqual(roles.roles, { 'pool:1': ['Scheduler'] });
    assert.equal((await view.loadRoles(s.Bob, s.Bob.signer.address)).any, false);
    assert.ok((await view.loadRoles(s.Bob, s.Alice.signer.address)).owner.includes('provider_registry'));
  });

  test('epoch clock matches the contract', async () => {
    const c = await view.loadEpochClock(s.Bob);
    assert.equal(c.epoch_length, 6);
    assert.equal(c.min_epochs_locked, 2);
    assert.equal(c.epoch_reward_delay, 2);
    assert.equal(c.blocks_to_next, c.next_epoch_block - c.block);
    const target = c.current_epoch + 2;
    const start = Number(await s.Bob.epoch.query('epoch_start_block', [target]));
    assert.equal(view.blocksUntilEpoch(c, target), start - c.block);
    const eta = await view.epochEta(s.Bob, c, target);
    assert.equal(eta.blocks, start - c.block);
  });

  test('reward rows: reports, correction window, claimable, claimed; cluster lines', async () => {
    const meta = checkRegistration({ id: 'bob-2', url: 'https://bob2.example' }).metadata;
    await ops.toggleAutoWhitelist(s.Alice);
    await sendAction(s.Bob, (x) => ops.registerAndStake(x, 'bob-2', MODEL, meta, { amount: STAKE }));
    const E = (await view.loadEpochClock(s.Bob)).current_epoch + 1; // both providers staked before E began
    for (const e of [E, E + 1]) {
      await ops.advanceToEpoch(s.Ferdie, e + 1);
      if (e === E) await closeBefore(E);
      await ops.setEpochRewards(s.Dave, MODEL, e, FUNC(100), 10n, [['bob-1', 7n], ['bob-2', 3n]]);
    }
    let r = await view.loadRewardRows(s.Bob, 'bob-1', { from: E, to: E + 2 });
    // at epoch E+2: E is claimable (E <= current - delay), E+1 still correctable, E+2 running
    assert.equal(r.clock.current_epoch, E + 2);
    assert.deepEqual(r.rows.map((x) => x.state), ['claimable', 'correction_window', 'in_progress']);
    assert.equal(r.rows[1].share, FUNC(70));
    assert.equal(r.rows[1].share, view.shareOf(r.rows[1].total, r.rows[1].boost, r.rows[1].shards, r.rows[1].total_shards));
    assert.equal(r.rows[1].claimable_from_epoch, E + 3);
    assert.equal(r.rows[2].total, null);
    await ops.advanceToEpoch(s.Ferdie, E + 3);
    r = await view.loadRewardRows(s.Bob, 'bob-1', { from: E, to: E + 1 });
    assert.deepEqual(r.rows.map((x) => x.state), ['claimable', 'claimable']);
    assert.equal(r.pending, FUNC(140));
    assert.equal(r.claimable_through, E + 1, "the pool's own frontier");
    const range = view.defaultClaimRange(r.claimed_through, r.claimable_through, r.registered_epoch);
    assert.ok(r.registered_epoch > 1);
    assert.deepEqual(range, { from: r.registered_epoch, to: E + 1, empty: false }, 'from the registration, not epoch 1');
    // the account overview: both providers' pending, one claim through the frontier
    const o = await view.loadOverview(s.Bob, s.Bob.signer.address);
    assert.equal(o.total_staked, 2n * STAKE);
    assert.equal(o.total_pending, FUNC(200));
    assert.deepEqual(o.claim, { amount: FUNC(200), providers: ['bob-1', 'bob-2'], from: 1, to: E + 1 });
    await sendAction(s.Bob, (x) => ops.claim(x, 'bob-1', range));
    assert.deepEqual(view.defaultClaimRange(E + 1, E + 1, r.registered_epoch), { from: E + 2, to: E + 1, empty: true }, 'nothing left: empty, not inverted');
    r = await view.loadRewardRows(s.Bob, 'bob-1', { from: E, to: E + 1 });
    assert.deepEqual(r.rows.map((x) => x.state), ['claimed', 'claimed']);
    assert.equal(r.pending, 0n);
    const pre = await previewAction(s.Bob, (x) => ops.claimCluster(x, { from: 1, to: E + 1 }));
    const lines = view.clusterLines(pre.steps[0].value);
    assert.deepEqual(lines.map((l) => [l.id, l.ok]), [['bob-2', true], ['bob-1', false]]);
    assert.match(lines[1].text, /already claimed|no unclaimed/);
    assert.equal(view.clusterTotal(pre.steps[0].value), FUNC(60));
    const before = await ops.balanceOf(s.Bob, s.Bob.signer.address);
    const sent = await sendAction(s.Bob, (x) => ops.claimCluster(x, { from: 1, to: E + 1 }));
    assert.ok(sent.steps[0].events.some((e) => e.name === 'ClaimRewardsCluster' || e.name === 'ClaimCluster' || /Cluster/.test(e.name)));
    assert.equal(await ops.balanceOf(s.Bob, s.Bob.signer.address), before + FUNC(60));
    assert.equal(Number(await (await s.Bob.pool(MODEL)).query('claimed_through', [providerIdBytes('bob-2')])), E + 1);
  });

  test('preflight: an action the account cannot pay for is stopped before the first signature', async () => {
    const meta = checkRegistration({ id: 'ferdie-1', url: 'https://ferdie.example' }).metadata;
    await s.Ferdie.pool(MODEL);
    const p = await previewAction(s.Ferdie, (x) => ops.registerAndStake(x, 'ferdie-1', MODEL, meta, { amount: STAKE }));
    assert.deepEqual(p.steps.map((x) => x.ok), [true, false]);
    assert.equal(view.stepWords(p.steps[0], { pools: view.poolNames(s.Ferdie) }), 'Allow the model 1 pool to take 1,000 FUNC from this account');
    assert.equal(view.stepWords(p.steps[1]), 'Register ferdie-1 and stake');
    const problems = await preflight(s.Ferdie, p);
    assert.deepEqual(problems, [{ kind: 'func', need: STAKE, has: 0n }]);
    // Bob holds the FUNC: nothing in the way
    const ok = await previewAction(s.Bob, (x) => ops.registerAndStake(x, 'bob-3', MODEL, meta, { amount: STAKE }));
    assert.deepEqual(await preflight(s.Bob, ok), []);
  });

  test('deployment check: code at every address, named when missing', async () => {
    assert.deepEqual(await view.checkDeployment(s.Bob), { ok: true, missing: [], otherCode: [] });
    const foreign = JSON.parse(JSON.stringify(s.Bob.deployment, (k, v) => (typeof v === 'bigint' ? v.toString() : v)));
    foreign.contracts.provider_registry.address = s.Ferdie.signer.address; // an account, no contract
    const f = new Suite(api, s.Bob.signer, s.Bob.bundles, foreign);
    const c = await view.checkDeployment(f);
    assert.equal(c.ok, false);
    assert.deepEqual(c.missing, [{ name: 'provider_registry', address: s.Ferdie.signer.address }]);
  });

  test('pure: epoch progress, next-epoch words that never stall, checklist, plain errors', () => {
    const clock = { block: 23, current_epoch: 4, next_epoch_block: 26, epoch_length: 6, block_time_ms: 6000, blocks_to_next: 3 };
    assert.deepEqual(view.epochProgress(clock), { done: 4, of: 6, fraction: 4 / 6 }, 'blocks 20–25 are the epoch; 23 is its 4th');
    assert.equal(view.rewardState(3, { reported: false, claimed_through: 0, last_claimable_epoch: 4, current_epoch: 6 }), 'final_empty');
    assert.equal(view.rewardState(5, { reported: false, claimed_through: 0, last_claimable_epoch: 4, current_epoch: 6 }), 'not_reported');
    assert.match(view.nextEpochWords(clock, { dev: true }).text, /^epoch 5 starts after 3 more blocks \(block #26\)$/);
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    const w = view.nextEpochWords(clock, { now, lastBlockAt: now });
    assert.match(w.text, /^epoch 5 at about 12:00 UTC \(about 18 seconds, 3 more blocks\)$/);
    const late = view.nextEpochWords(clock, { now: now + 60_000, lastBlockAt: now });
    assert.equal(late.overdue, true);
    assert.match(late.text, /was expected at about 12:00 UTC; no block for 60 seconds/);
    const p = { info: { whitelisted: false, jailed_until: 7, deactivated: false }, status: { problems: [] }, staked: 0n, required: STAKE, model_id: 1 };
    const list = view.checklist(p, clock);
    assert.deepEqual(list.map((x) => [x.condition, x.ok]), [['registered', true], ['whitelisted', false], ['jailed', false], ['deactivated', true], ['stake', false], ['model', true]]);
    assert.match(list[2].next, /jail ends when epoch 7 starts \(in 15 blocks, about 2 minutes\)/);
    assert.equal(list[4].next, 'Stake 1,000 FUNC more (button below).');
    assert.deepEqual(view.plainError(new Error('provider_staking.stake_for_provider refused: the provider is not whitelisted')).text, 'The provider is not whitelisted');
    const conn = view.plainError(new Error('WebSocket is not connected'), { url: 'ws://x' });
    assert.equal(conn.connection, true);
    assert.match(conn.text, /^The node at ws:\/\/x is not answering/);
  });

  test('block time: a recent pace on an instant-seal dev chain', async () => {
    await advanceBlocks(api, 3, s.Ferdie.signer);
    const t = await view.blockTime(api);
    assert.ok(['recent', 'consensus', 'unknown'].includes(t.source));
  });
});
