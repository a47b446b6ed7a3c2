// End-to-end: a real substrate-contracts-node, the five release bundles, the seed's flows.
//
// Needs `substrate-contracts-node` (CONTRACTS_NODE or PATH) and the bundles in
// $FUNC_ARTIFACTS / $CARGO_TARGET_DIR/ink / target/ink. Runs as one ordered flow: each step
// uses the state the previous left.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import {
  ADDRESSED_CONTRACTS,
  Suite,
  connect,
  deploy,
  describeError,
  loadBundles,
  ops,
  parseAmount,
  providerIdBytes,
  showBytes,
  signerFromUri,
  writeDeployment,
} from '../lib/index.js';
import { refused, requireBundles, startNode } from './helpers.js';
import { BOUNDS } from '../lib/limits.js';

const FUNC = (n) => parseAmount(String(n));
const CLI = fileURLToPath(new URL('../bin/func.js', import.meta.url));
const STAKE = FUNC(1000);
const MODEL = 1;
const BOB_ID = 'bob-gpu-node-1'; // seed 1A: register, approve, stake
const CHARLIE_ID = 'charlie-gpu-node-1'; // seed 1B: register_and_stake with auto-whitelist

describe('FUNC suite on a real contracts node', { concurrency: false, timeout: 30 * 60_000 }, () => {
  let node;
  let api;
  let admin;
  let bundles;
  let deployment;
  let deploymentFile;
  const s = {}; // suites per signer
  const events = []; // every decoded event of the flow
  const progress = process.env.FUNC_TEST_VERBOSE ? (l) => console.error(l) : () => {};
  const keep = (r) => {
    events.push(...(r.events ?? []));
    return r;
  };
  const cli = (...args) => {
    const common = [];
    if (!args.includes('--url')) common.push('--url', node.url);
    if (!args.includes('--deployment')) common.push('--deployment', deploymentFile);
    const r = spawnSync(process.execPath, [CLI, ...args, ...common, '--quiet'], { encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  before(async () => {
    const dir = requireBundles();
    bundles = loadBundles(dir);
    node = await startNode();
    await cryptoWaitReady();
    api = await connect(node.url);
    admin = signerFromUri('//Alice');
    const out = await deploy({
      api,
      signer: admin,
      bundles,
      network: 'test',
      url: node.url,
      parameters: { epoch_length: 10, min_epochs_locked: 2, epoch_reward_delay: 2, auto_whitelist: false },
      roles: [{ role: 'Scheduler', account: signerFromUri('//Dave').address }],
      onProgress: progress,
    });
    deployment = out.deployment;
    events.push(...out.events);
    deploymentFile = join(mkdtempSync(join(tmpdir(), 'func-deploy-')), 'test.json');
    writeDeployment(deploymentFile, deployment);
    for (const who of ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie']) {
      s[who] = new Suite(api, signerFromUri(`//${who}`), bundles, deployment);
    }
  });

  after(async () => {
    await api?.disconnect();
    await node?.stop();
  });

  test('deployment file lists every contract, code hash and parameter', () => {
    for (const name of ADDRESSED_CONTRACTS) {
      assert.match(deployment.contracts[name].address, /^5/);
      assert.match(deployment.contracts[name].codeHash, /^0x[0-9a-f]{64}$/);
    }
    assert.match(deployment.contracts.provider_staking.codeHash, /^0x[0-9a-f]{64}$/);
    assert.equal(deployment.parameters.epoch_length, 10);
    assert.equal(deployment.genesisHash, api.genesisHash.toHex());
    const onDisk = JSON.parse(readFileSync(deploymentFile, 'utf8'));
    assert.equal(onDisk.contracts.provider_registry.address, deployment.contracts.provider_registry.address);
  });

  test('admin creates a model; its pool is found through the router', async () => {
    const r = keep(await ops.createModel(s.Alice, { modelId: MODEL, name: 'llama-3-8b', shards: 4, computeUnits: 8, stakeAmount: STAKE }, { onProgress: progress }));
    assert.ok(r.events.some((e) => e.name === 'ModelCreated' && e.contract === 'model_router'));
    const pool = await s.Bob.pool(MODEL);
    assert.equal(pool.address, r.pool);
    assert.equal(await ops.modelStakeAmount(s.Bob, MODEL), STAKE);
    await refused(ops.createModel(s.Alice, { modelId: MODEL, name: 'again', shards: 1, computeUnits: 1, stakeAmount: STAKE }), /a model with this id already exists/);
    await refused(ops.createModel(s.Eve, { modelId: 2, name: 'eve', shards: 1, computeUnits: 1, stakeAmount: STAKE }), /neither the owner nor a holder of the model creator role/);
    for (const who of ['Bob', 'Charlie']) keep(await ops.transfer(s.Alice, s[who].signer.address, FUNC(5000)));
    assert.equal(await ops.balanceOf(s.Bob, s.Bob.signer.address), FUNC(5000));
  });

  test('seed 1A: register, whitelist, approve + stake_for_provider', async () => {
    const meta = JSON.stringify({ url: 'https://bob.example:8080', name: 'Bob GPU' });
    await refused(ops.register(s.Bob, BOB_ID, MODEL, '{"name":"x"}'), /the metadata has no "url" field/);
    await refused(ops.register(s.Bob, BOB_ID, MODEL, 'not json'), /not a JSON object/);
    await refused(ops.register(s.Bob, BOB_ID, MODEL, '{"url":"ftp://x"}'), /must be a string starting with http/);
    await refused(ops.register(s.Bob, 'x'.repeat(65), MODEL, meta), /longer than 64 bytes/);
    await refused(ops.register(s.Bob, BOB_ID, 77, meta), /no model has this id/);
    const r = keep(await ops.register(s.Bob, BOB_ID, MODEL, meta));
    const reg = r.events.find((e) => e.name === 'ProviderRegistered');
    assert.ok(reg, 'ProviderRegistered');
    assert.equal(showBytes(reg.args.id), BOB_ID);
    await refused(ops.register(s.Charlie, BOB_ID, MODEL, meta), /already registered/);
    // not whitelisted yet (auto-whitelist is off): refused before any approval is sent
    await refused(ops.stake(s.Bob, BOB_ID), /not whitelisted/);
    assert.equal(await s.Bob.token.query('allowance', [s.Bob.signer.address, (await s.Bob.pool(MODEL)).address]), 0n);
    await refused(ops.whitelist(s.Eve, [BOB_ID]), /whitelister role/);
    await refused(ops.whitelist(s.Alice, []), new RegExp(`between 1 and ${BOUNDS.MAX_BATCH_SIZE} ids`));
    keep(await ops.whitelist(s.Alice, [BOB_ID]));
    // staking without approving the pool: the token refuses
    await refused(ops.stake(s.Bob, BOB_ID, { approve: false }), /allowance is too small/);
    const st = keep(await ops.stake(s.Bob, BOB_ID));
    const staked = st.events.find((e) => e.name === 'ProviderStaked');
    assert.ok(staked, 'ProviderStaked');
    assert.equal(staked.contract, 'provider_staking');
    assert.equal(staked.args.amount, STAKE);
    assert.ok(st.events.some((e) => e.name === 'Transfer' && e.contract === 'func_token'), 'token Transfer decoded with the token ABI');
    assert.equal(await s.Bob.registry.query('active', [providerIdBytes(BOB_ID)]), true);
    await refused(ops.stake(s.Bob, BOB_ID), /already meets the model's requirement/);
    await refused(ops.stake(s.Charlie, BOB_ID), /does not own this provider/);
  });

  test('seed 1B: register_and_stake with auto-whitelist', async () => {
    await refused(ops.toggleAutoWhitelist(s.Eve), /only the contract owner|whitelister role/);
    keep(await ops.toggleAutoWhitelist(s.Alice));
    const meta = JSON.stringify({ url: 'http://charlie.example' });
    await refused(ops.registerAndStake(s.Charlie, CHARLIE_ID, MODEL, meta, { approve: false }), /allowance is too small/);
    const r = keep(await ops.registerAndStake(s.Charlie, CHARLIE_ID, MODEL, meta));
    const names = r.events.map((e) => e.name);
    for (const n of ['Approval', 'ProviderRegistered', 'ProviderStaked', 'Transfer']) assert.ok(names.includes(n), `${n} in ${names}`);
    assert.equal(await s.Charlie.registry.query('active', [providerIdBytes(CHARLIE_ID)]), true);
    // Pages run from the newest registration down (a run never skips an id).
    const list = await ops.activeProviders(s.Ferdie, MODEL, { pageSize: 1 });
    assert.deepEqual(
      list.map((p) => [p.id, p.url]),
      [
        [CHARLIE_ID, 'http://charlie.example'],
        [BOB_ID, 'https://bob.example:8080'],
      ],
    );
  });

  test('unstake before the lock is refused with the unlock epoch', async () => {
    const e = await refused(ops.unstake(s.Bob, BOB_ID), /provider is still locked until epoch \d+/);
    assert.equal(e.errorType, 'StakingError');
    const c = await ops.unstakeCluster(s.Charlie);
    keep(c);
    assert.equal(c.value.succeeded.length, 0);
    assert.equal(c.value.failed.length, 1);
    assert.match(describeError('StakingError', c.value.failed[0][1]), /still locked until epoch/);
  });

  let firstEpoch;
  test('scheduler reports two ended epochs, each while it is reportable', async () => {
    keep(await ops.fundRewards(s.Alice, MODEL, FUNC(1000)));
    await refused(ops.fundRewards(s.Alice, MODEL, 0n), /greater than zero/);
    const { current_epoch: now } = await ops.epochStatus(s.Dave);
    firstEpoch = now;
    // refusals are dry-runs: they produce no block
    await refused(ops.setEpochRewards(s.Dave, MODEL, now, FUNC(100), 10, []), /has not ended yet/);
    // epoch `now` can be reported from epoch now+1 until it becomes claimable (delay 2)
    await ops.advanceToEpoch(s.Ferdie, now + 1, { onProgress: progress });
    await refused(ops.setEpochRewards(s.Eve, MODEL, now, FUNC(100), 10, []), /scheduler role/);
    await refused(ops.setEpochRewards(s.Dave, MODEL, now, FUNC(5000), 10, []), /unreserved reward funding cannot cover/);
    const report = async (epoch) => {
      const r = keep(await ops.setEpochRewards(s.Dave, MODEL, epoch, FUNC(100), 10, [[BOB_ID, 6], [CHARLIE_ID, 4]]));
      const names = r.events.map((e) => e.name);
      assert.ok(names.includes('RewardSetForEpoch'), names.join());
      assert.ok(names.includes('ProviderShardsRecorded'), names.join());
    };
    // Claims never pass an ended epoch with stake that is neither reported nor closed: the
    // epochs between the stakes and `now` have no data, so the scheduler closes them.
    const pool = await s.Dave.pool(MODEL);
    if (Number(await pool.query('reported_through')) + 1 < now) {
      keep(await ops.closeEpochs(s.Dave, MODEL, now - 1));
    }
    await report(now);
    await refused(ops.setEpochRewards(s.Dave, MODEL, now, FUNC(100), 10, [[BOB_ID, 11]]), /exceed the epoch's total shards/);
    await ops.advanceToEpoch(s.Ferdie, now + 2, { onProgress: progress });
    await refused(ops.setEpochRewards(s.Dave, MODEL, now, FUNC(100), 10, []), /already claimable, so its report is final/);
    await report(now + 1);
  });

  test('claims after the reward delay', async () => {
    await refused(ops.claim(s.Bob, BOB_ID, { from: firstEpoch, to: firstEpoch + 1 }), /not claimable yet/);
    await refused(ops.claim(s.Bob, BOB_ID, { from: 3, to: 2 }), /epoch range is invalid/);
    await ops.advanceToEpoch(s.Ferdie, firstEpoch + 1 + 2, { onProgress: progress });
    const before = await ops.balanceOf(s.Bob, s.Bob.signer.address);
    const r = keep(await ops.claim(s.Bob, BOB_ID, { from: firstEpoch, to: firstEpoch + 1 }));
    assert.ok(r.events.some((e) => e.name === 'ProviderClaimedRewards'));
    assert.equal((await ops.balanceOf(s.Bob, s.Bob.signer.address)) - before, FUNC(120));
    await refused(ops.claim(s.Bob, BOB_ID, { from: firstEpoch, to: firstEpoch + 1 }), /already claimed|no unclaimed rewards/);
    const cBefore = await ops.balanceOf(s.Charlie, s.Charlie.signer.address);
    const c = keep(await ops.claimCluster(s.Charlie, { from: 1 }));
    assert.deepEqual(c.value.succeeded.map(showBytes), [CHARLIE_ID]);
    assert.ok(c.events.some((e) => e.name === 'RewardClaimedForCluster' && e.contract === 'provider_registry'));
    assert.ok(c.events.some((e) => e.name === 'ProviderClaimedRewards' && e.contract === 'provider_staking'));
    assert.equal((await ops.balanceOf(s.Charlie, s.Charlie.signer.address)) - cBefore, FUNC(80));
  });

  test('jail, pause and their refusals', async () => {
    await refused(ops.jail(s.Alice, BOB_ID, 0), /between 1 and 100000 epochs/);
    await refused(ops.jail(s.Eve, BOB_ID, 1), /whitelister role/);
    await refused(ops.unjail(s.Alice, BOB_ID), /not jailed/);
    keep(await ops.jail(s.Alice, BOB_ID, 1));
    assert.equal(await s.Bob.registry.query('active', [providerIdBytes(BOB_ID)]), false);
    keep(await ops.unjail(s.Alice, BOB_ID));
    await refused(ops.pause(s.Eve, ['registry']), /pauser role/);
    keep(await ops.pause(s.Alice, ['registry']));
    await refused(ops.pause(s.Alice, ['registry']), /already paused/);
    await refused(ops.register(s.Bob, 'bob-2', MODEL, '{"url":"https://b"}'), /the contract is paused/);
    keep(await ops.pause(s.Alice, ['registry'], { unpause: true }));
  });

  test('unstake after the lock (direct and cluster)', async () => {
    const bBefore = await ops.balanceOf(s.Bob, s.Bob.signer.address);
    const r = keep(await ops.unstake(s.Bob, BOB_ID));
    assert.ok(r.events.some((e) => e.name === 'ProviderUnstaked'));
    assert.equal((await ops.balanceOf(s.Bob, s.Bob.signer.address)) - bBefore, STAKE);
    await refused(ops.unstake(s.Bob, BOB_ID), /nothing staked/);
    const c = keep(await ops.unstakeCluster(s.Charlie));
    assert.deepEqual(c.value.succeeded.map(showBytes), [CHARLIE_ID]);
    assert.ok(c.events.some((e) => e.name === 'UnstakeCluster'));
    assert.equal((await ops.activeProviders(s.Ferdie, MODEL)).length, 0);
  });

  test('every event of the flow decodes with its own contract ABI', () => {
    const unknown = events.filter((e) => e.name === 'UnknownEvent' || !e.contract);
    assert.deepEqual(unknown, []);
    const seen = new Set(events.map((e) => `${e.contract}.${e.name}`));
    for (const want of [
      'epoch_controller.EpochLengthUpdated',
      'epoch_controller.MinEpochsLockedUpdated',
      'epoch_controller.EpochRewardDelayUpdated',
      'model_router.ProviderRegistrySet',
      'model_router.ModelCreated',
      'provider_staking.RoleGranted',
      'func_token.Transfer',
      'func_token.Approval',
      'provider_registry.ProviderRegistered',
      'provider_registry.ProviderWhitelisted',
      'provider_registry.AutomaticWhitelistToggled',
      'provider_staking.ProviderStaked',
      'provider_staking.RewardsFunded',
      'provider_staking.RewardSetForEpoch',
      'provider_staking.ProviderShardsRecorded',
      'provider_staking.ProviderClaimedRewards',
      'provider_registry.RewardClaimedForCluster',
      'provider_registry.ProviderJailed',
      'provider_registry.ProviderUnjailed',
      'provider_registry.Paused',
      'provider_registry.Unpaused',
      'provider_staking.ProviderUnstaked',
      'provider_registry.UnstakeCluster',
    ]) {
      assert.ok(seen.has(want), `${want} not seen; seen: ${[...seen].join(', ')}`);
    }
  });

  test('CLI: status, providers, epoch and errors in plain words', () => {
    let r = cli('epoch');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /current epoch\s+\d+/);
    r = cli('status', BOB_ID);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /provider "bob-gpu-node-1"/);
    assert.match(r.stdout, /active\s+no/);
    r = cli('providers', '--model', '1');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /0 active provider/);
    r = cli('providers');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--model must be a whole number/);
    r = cli('status', 'nobody');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no provider is registered with id "nobody"/);
    r = cli('register', 'cli-node', '--model', '1', '--metadata', '{"name":"n"}', '--suri', '//Eve');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: provider_registry\.register refused: the metadata has no "url" field/);
    r = cli('unstake', BOB_ID, '--suri', '//Bob');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nothing staked/);
    r = cli('claim', BOB_ID, '--from', '5', '--to', '1', '--suri', '//Bob');
    assert.match(r.stderr, /epoch range is invalid/);
    r = cli('stake', CHARLIE_ID, '--suri', '//Bob');
    assert.match(r.stderr, /does not own this provider/);
    r = cli('create-model', '1', '--name', 'dup', '--stake', '10');
    assert.match(r.stderr, /a model with this id already exists/);
    r = cli('whitelist', BOB_ID, '--suri', '//Eve');
    assert.match(r.stderr, /whitelister role/);
    r = cli('jail', BOB_ID, '--epochs', '0');
    assert.match(r.stderr, /between 1 and 100000 epochs/);
    r = cli('set-epoch-rewards', '--model', '1', '--epoch', '1', '--total', '1', '--total-shards', '1', '--suri', '//Eve');
    assert.match(r.stderr, /scheduler role/);
    r = cli('fund-rewards', '--model', '1', '--amount', '0');
    assert.match(r.stderr, /greater than zero/);
    r = cli('pause', 'registry', '--suri', '//Eve');
    assert.match(r.stderr, /pauser role/);
    r = cli('approve', '--model', '9');
    assert.match(r.stderr, /no model 9/);
    r = cli('register-and-stake', 'eve-node', '--model', '1', '--provider-url', 'https://eve', '--no-approve', '--suri', '//Eve');
    assert.match(r.stderr, /allowance is too small|does not hold enough FUNC/);
    r = cli('claim-cluster', '--from', '2', '--to', '1', '--suri', '//Bob');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /failed: bob-gpu-node-1 — the epoch range is invalid/);
    r = cli('unstake-cluster', '--suri', '//Eve');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /succeeded: none/);
    r = cli('deploy', '--artifacts', '/nonexistent');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no \.contract bundle for .* in \/nonexistent/);
    r = cli('epoch', '--url', 'http://x');
    assert.match(r.stderr, /must start with ws:\/\/ or wss:\/\//);
  });
});
