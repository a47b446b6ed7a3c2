// The scheduler's reporter (client/lib/reporter.js): offline checks of the file format and the
// order of transactions, then one ordered flow against a real substrate-contracts-node started
// on a base path (not --tmp) so that it can be stopped and restarted under a running reporter.
// The reporter runs as a child process (`func reporter`), as an operator runs it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Suite, advanceBlocks, bestBlock, connect, deploy, loadBundles, ops, parseAmount, providerIdBytes, signerFromUri, writeDeployment } from '../lib/index.js';
import { parseReport, planEpoch, suriOnCommandLineAllowed } from '../lib/reporter.js';
import { freePort, requireBundles, spawnNode } from './helpers.js';

const FUNC = (n) => parseAmount(String(n));
const CLI = fileURLToPath(new URL('../bin/func.js', import.meta.url));
const VERBOSE = Boolean(process.env.FUNC_TEST_VERBOSE);

// --- offline ------------------------------------------------------------------------------

describe('reporter input and plan (offline)', () => {
  test('a report file is checked field by field; bad input is one sentence', () => {
    const ok = parseReport('{"total":"1000","total_shards":10,"shards":{"a":3,"b":7}}');
    assert.equal(ok.ok, true);
    assert.equal(ok.report.total, 1000n);
    assert.equal(ok.report.sum, 10n);
    assert.equal(parseReport('{"total":"0","total_shards":0,"shards":{}}').report.empty, true);
    const cases = [
      ['{"total":"1000","total_shards":10,', /malformed JSON/],
      ['[1,2]', /must hold a JSON object/],
      ['{"total":1000,"total_shards":10,"shards":{}}', /"total" must be a decimal string/],
      ['{"total":"-5","total_shards":10,"shards":{}}', /not a whole number/],
      ['{"total":"10","total_shards":"x","shards":{}}', /"total_shards" "x" is not a whole number/],
      ['{"total":"10","total_shards":10,"shards":[]}', /"shards" must be an object/],
      ['{"total":"10","total_shards":10,"shards":{"a":1.5}}', /shards of provider "a"/],
      [`{"total":"10","total_shards":10,"shards":{"${'x'.repeat(65)}":1}}`, /1 to 64 bytes/],
      ['{"total":"10","total_shards":5,"shards":{"a":3,"b":4}}', /the shards add up to 7, above total_shards 5/],
      ['{"total":"10","total_shards":0,"shards":{}}', /total_shards is 0 while total is 10/],
      ['{"total":"10","total_shards":1,"shards":{},"extra":1}', /unknown field/],
    ];
    for (const [text, re] of cases) {
      const r = parseReport(text);
      assert.equal(r.ok, false, text);
      assert.match(r.reason, re, text);
    }
  });

  test('the plan lowers shards, then sets the reward, then raises shards, in batches of at most 16', () => {
    const report = (total, totalShards, entries) => {
      const shards = new Map(entries.map(([k, v]) => [k, BigInt(v)]));
      return { total: BigInt(total), totalShards: BigInt(totalShards), shards, sum: [...shards.values()].reduce((a, b) => a + b, 0n), empty: false };
    };
    // Fresh epoch, 20 providers: reward first, then two batches.
    const ids = Array.from({ length: 20 }, (_, i) => [`p${String(i).padStart(2, '0')}`, 1]);
    const fresh = planEpoch({ report: report(100, 25, ids), reward: null, chainShards: new Map(ids.map(([k]) => [k, 0n])) });
    assert.deepEqual(fresh.steps.map((s) => [s.kind, s.batch?.length ?? 0]), [['reward', 0], ['raise', 16], ['raise', 4]]);
    assert.equal(fresh.equal, false);
    // On chain: total_shards 10 with a=6, b=4 recorded; the file: total_shards 5, a=1, c=4 (b removed).
    const reward = { total: 100n, total_shards: 10n, recorded_shards: 10n };
    const chain = new Map([['a', 6n], ['b', 4n], ['c', 0n]]);
    const fix = planEpoch({ report: report(50, 5, [['a', 1], ['c', 4]]), reward, chainShards: chain });
    assert.deepEqual(
      fix.steps.map((s) => (s.kind === 'reward' ? ['reward', s.total, s.totalShards] : [s.kind, s.batch.map(([id, n]) => `${id}=${n}`).join(',')])),
      [['lower', 'a=1,b=0'], ['reward', 50n, 5n], ['raise', 'c=4']],
    );
    // Simulate the pool's rules step by step: no intermediate state is refused.
    let recorded = 10n;
    let totalShards = 10n;
    const shards = new Map(chain);
    for (const s of fix.steps) {
      if (s.kind === 'reward') {
        assert.ok(s.totalShards >= recorded, 'set_epoch_reward below the recorded shards');
        totalShards = s.totalShards;
      } else {
        for (const [id, n] of s.batch) {
          recorded = recorded - shards.get(id) + n;
          shards.set(id, n);
        }
        assert.ok(recorded <= totalShards, 'a batch above total_shards');
      }
    }
    // Equal: nothing to send.
    const same = planEpoch({ report: report(50, 5, [['a', 1], ['c', 4]]), reward: { total: 50n, total_shards: 5n, recorded_shards: 5n }, chainShards: new Map([['a', 1n], ['c', 4n]]) });
    assert.equal(same.equal, true);
    assert.equal(same.steps.length, 0);
    // Shards recorded for someone the reporter cannot name: not equal, nothing it can send.
    const unnamed = planEpoch({ report: report(50, 5, [['a', 1]]), reward: { total: 50n, total_shards: 5n, recorded_shards: 3n }, chainShards: new Map([['a', 1n]]) });
    assert.equal(unnamed.equal, false);
    assert.equal(unnamed.unnamed, 2n);
    // The empty report: set_epoch_reward(e, 0, 0) until the chain holds it.
    const empty = { total: 0n, totalShards: 0n, shards: new Map(), sum: 0n, empty: true };
    assert.deepEqual(planEpoch({ report: empty, reward: null, chainShards: new Map() }).steps, [{ kind: 'reward', total: 0n, totalShards: 0n }]);
    assert.equal(planEpoch({ report: empty, reward: { total: 0n, total_shards: 0n, recorded_shards: 0n }, chainShards: new Map() }).equal, true);
  });

  test('a key on the command line is for development chains only', () => {
    assert.equal(suriOnCommandLineAllowed('Development'), true);
    assert.equal(suriOnCommandLineAllowed('Local'), true);
    assert.equal(suriOnCommandLineAllowed('Live'), false);
    assert.equal(suriOnCommandLineAllowed('Custom'), false);
  });
});

// --- against a real node ------------------------------------------------------------------

/** substrate-contracts-node --dev on a base path and a fixed RPC port, restartable. */
async function startNodeAt({ basePath, port }) {
  const log = join(basePath, 'node.log');
  const node = await spawnNode({ args: ['--base-path', basePath], port, log });
  return { url: `ws://127.0.0.1:${port}`, log, stop: node.stop };
}

/** `func reporter …` as a child process; its output kept line by line. */
function startReporter(args, env) {
  const child = spawn(process.execPath, [CLI, 'reporter', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  const waiters = [];
  let buf = '';
  const onData = (chunk) => {
    buf += chunk;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lines.push(line);
      if (VERBOSE) console.error(`    [reporter ${child.pid}] ${line}`);
      for (const w of [...waiters]) if (w.re.test(line)) w.resolve(line);
    }
  };
  child.stdout.setEncoding('utf8').on('data', onData);
  child.stderr.setEncoding('utf8').on('data', onData);
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  return {
    child,
    lines,
    exited,
    text: () => lines.join('\n'),
    /** Resolves with the first line (from now, or already printed when `past`) matching `re`; null after `ms`. */
    waitFor(re, ms = 30_000, { past = false } = {}) {
      if (past) {
        const seen = lines.find((l) => re.test(l));
        if (seen) return Promise.resolve(seen);
      }
      return new Promise((resolve) => {
        const w = { re, resolve: (l) => finish(l) };
        const t = setTimeout(() => finish(null), ms);
        const finish = (l) => {
          clearTimeout(t);
          waiters.splice(waiters.indexOf(w), 1);
          resolve(l);
        };
        waiters.push(w);
        exited.then(() => waiters.includes(w) && finish(null));
      });
    },
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

describe('reporter on a real contracts node', { concurrency: false, timeout: 15 * 60_000 }, () => {
  const EPOCH_LENGTH = 6;
  const DELAY = 16;
  const M1_PROVIDERS = Array.from({ length: 18 }, (_, i) => `m1-node-${String(i).padStart(2, '0')}`); // two batches
  const M2_PROVIDERS = ['m2-node-a', 'm2-node-b', 'm2-node-c'];
  let node;
  let nodeArgs;
  let api;
  let bundles;
  let deployment;
  let deploymentFile;
  let source;
  let work;
  const s = {};
  const stakeEpoch = new Map(); // provider id → epoch of its stake
  const files = new Map(); // `${model}/${epoch}` → the object written
  const nextEpoch = { 1: 0, 2: 0 }; // next epoch without a file, per model
  let newContract = false; // the pool has the report frontier of issue 17 (empty reports stay, suspend/resume)
  const scheduler = () => signerFromUri('//Dave');
  const env = { FUNC_SURI: '//Dave' };
  const progress = VERBOSE ? (l) => console.error(l) : () => {};
  const common = () => ['--url', node.url, '--deployment', deploymentFile, '--source', source];

  async function openApi() {
    api = await connect(node.url);
    for (const who of ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve']) s[who] = new Suite(api, signerFromUri(`//${who}`), bundles, deployment);
  }

  function writeReport(model, epoch, doc, { raw } = {}) {
    const dir = join(source, String(model));
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `.${epoch}.json.tmp`);
    writeFileSync(tmp, raw ?? JSON.stringify(doc));
    renameSync(tmp, join(dir, `${epoch}.json`)); // atomic, as a writer should
    if (doc) files.set(`${model}/${epoch}`, doc);
  }

  /** The file of `model` for `epoch`: every provider staked by then, shards varying by epoch. */
  function reportFor(model, epoch, { factor = 1 } = {}) {
    const ids = (model === 1 ? M1_PROVIDERS : M2_PROVIDERS).filter((id) => stakeEpoch.get(id) <= epoch);
    const shards = Object.fromEntries(ids.map((id, i) => [id, (1 + ((i * 7 + epoch) % 5)) * factor]));
    const sum = Object.values(shards).reduce((a, b) => a + b, 0);
    const total = FUNC(model === 1 ? 10 + (epoch % 7) : 5).toString();
    return { total, total_shards: sum + 3, shards };
  }

  /** Writes the next `n` epochs' files of both models; returns their [model, epoch] pairs. */
  function writeNext(n, { factor = 1 } = {}) {
    const out = [];
    for (const model of [1, 2]) {
      for (let k = 0; k < n; k += 1) {
        const e = nextEpoch[model];
        nextEpoch[model] += 1;
        writeReport(model, e, reportFor(model, e, { factor }));
        out.push([model, e]);
      }
    }
    return out;
  }

  /** Does the chain hold `doc` as `model`'s report of `epoch` (minus `skip` providers)? */
  async function onChain(model, epoch, doc = files.get(`${model}/${epoch}`), { skip = [] } = {}) {
    const pool = await s.Alice.pool(model);
    const r = await pool.query('epoch_reward', [epoch]);
    const entries = Object.entries(doc.shards).filter(([id]) => !skip.includes(id));
    const sum = entries.reduce((a, [, n]) => a + BigInt(n), 0n);
    if (!r) return false;
    if (BigInt(r.total) !== BigInt(doc.total) || BigInt(r.total_shards) !== BigInt(doc.total_shards) || BigInt(r.recorded_shards) !== sum) return false;
    for (const [id, n] of entries) {
      if (BigInt(await pool.query('provider_shards', [providerIdBytes(id), epoch])) !== BigInt(n)) return false;
    }
    return true;
  }

  async function allOnChain(pairs) {
    for (const [m, e] of pairs) if (!(await onChain(m, e))) return false;
    return true;
  }

  async function waitOnChain(pairs, ms = 60_000) {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (await allOnChain(pairs)) return;
      await new Promise((r) => setTimeout(r, 300));
    }
    const missing = [];
    for (const [m, e] of pairs) if (!(await onChain(m, e))) missing.push(`${m}/${e}`);
    assert.fail(`not on chain after ${ms / 1000}s: ${missing.join(', ')}`);
  }

  /** Report events of the pools in blocks from..to: `${model}/${epoch}` → { rewards, providers }. */
  async function reportEvents(from, to) {
    const poolModel = new Map();
    for (const m of [1, 2]) poolModel.set((await s.Alice.pool(m)).address, m);
    const out = new Map();
    for (let b = from; b <= to; b += 1) {
      const hash = await api.rpc.chain.getBlockHash(b);
      const records = await api.query.system.events.at(hash);
      for (const ev of await s.Alice.events.decodeAll(records)) {
        const model = poolModel.get(ev.address);
        if (!model) continue;
        const key = `${model}/${ev.args.epoch}`;
        const c = out.get(key) ?? { rewards: 0, providers: 0, batches: 0 };
        if (ev.name === 'RewardSetForEpoch') c.rewards += 1;
        if (ev.name === 'ProviderShardsRecorded') {
          c.batches += 1;
          c.providers += Number(ev.args.providers);
        }
        out.set(key, c);
      }
    }
    return out;
  }

  async function advanceEpochs(target) {
    await ops.advanceToEpoch(s.Alice, target, { signer: s.Alice.signer });
  }

  const current = async () => Number(await s.Alice.epoch.query('current_epoch'));

  /** Ensures every written epoch has ended. */
  async function endWritten() {
    const last = Math.max(nextEpoch[1], nextEpoch[2]);
    if ((await current()) < last) await advanceEpochs(last);
  }

  async function runOnce(extra = [], e = env) {
    const r = startReporter([...common(), '--once', ...extra], e);
    const res = await r.exited;
    return { ...res, out: r.text() };
  }

  before(async () => {
    const dir = requireBundles();
    bundles = loadBundles(dir);
    work = mkdtempSync(join(tmpdir(), 'func-reporter-'));
    source = join(work, 'reports');
    mkdirSync(source);
    nodeArgs = { basePath: join(work, 'chain'), port: await freePort(), p2p: await freePort() };
    mkdirSync(nodeArgs.basePath);
    node = await startNodeAt(nodeArgs);
    await cryptoWaitReady();
    api = await connect(node.url);
    const out = await deploy({
      api,
      signer: signerFromUri('//Alice'),
      bundles,
      network: 'reporter-test',
      url: node.url,
      parameters: { epoch_length: EPOCH_LENGTH, min_epochs_locked: 2, epoch_reward_delay: DELAY, auto_whitelist: true },
      roles: [{ role: 'Scheduler', account: scheduler().address }],
      onProgress: progress,
    });
    deployment = out.deployment;
    deploymentFile = join(work, 'deployment.json');
    for (const who of ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve']) s[who] = new Suite(api, signerFromUri(`//${who}`), bundles, deployment);
    for (const m of [1, 2]) await ops.createModel(s.Alice, { modelId: m, name: `model-${m}`, shards: 1, computeUnits: 1, stakeAmount: FUNC(1) }, { onProgress: progress });
    writeDeployment(deploymentFile, s.Alice.deployment);
    deployment = s.Alice.deployment;
    for (const m of [1, 2]) await ops.fundRewards(s.Alice, m, FUNC(100_000));
    newContract = (await s.Alice.pool(1)).abi.messages.some((msg) => msg.identifier === 'reported_through');
    for (const who of ['Bob', 'Charlie']) await ops.transfer(s.Alice, s[who].signer.address, FUNC(100));
    await ops.approvePool(s.Charlie, 2, FUNC(M2_PROVIDERS.length));
    for (const id of M2_PROVIDERS) {
      await ops.registerAndStake(s.Charlie, id, 2, JSON.stringify({ url: `https://${id}.example` }));
      stakeEpoch.set(id, await current());
    }
    await ops.approvePool(s.Bob, 1, FUNC(M1_PROVIDERS.length));
    for (const id of M1_PROVIDERS) {
      await ops.registerAndStake(s.Bob, id, 1, JSON.stringify({ url: `https://${id}.example` }));
      stakeEpoch.set(id, await current());
    }
    await ops.register(s.Eve, 'eve-unstaked', 1, JSON.stringify({ url: 'https://eve.example' }));
    nextEpoch[1] = stakeEpoch.get(M1_PROVIDERS[0]);
    nextEpoch[2] = stakeEpoch.get(M2_PROVIDERS[0]);
    progress(`setup done at block ${await bestBlock(api)}, epoch ${await current()}; first stakes in epochs ${nextEpoch[1]} and ${nextEpoch[2]}`);
  });

  after(async () => {
    await api?.disconnect().catch(() => {});
    await node?.stop();
    if (work && !process.env.FUNC_TEST_KEEP) rmSync(work, { recursive: true, force: true });
  });

  test('five epochs of two models reported from files (--once): the chain equals the files', async () => {
    const pairs = writeNext(5);
    if (newContract) {
      // an empty report is a report too (model 2 gets one more epoch, an empty one)
      const e = nextEpoch[2];
      nextEpoch[2] += 1;
      writeReport(2, e, { total: '0', total_shards: 0, shards: {} });
      pairs.push([2, e]);
    }
    await endWritten();
    const from = await bestBlock(api);
    const r = await runOnce();
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /done: every reportable epoch with a file is on chain/);
    assert.ok(await allOnChain(pairs.filter(([m, e]) => !(m === 2 && files.get(`${m}/${e}`).total_shards === 0))));
    if (newContract) {
      const [m, e] = pairs[pairs.length - 1];
      const rw = await (await s.Alice.pool(m)).query('epoch_reward', [e]);
      assert.ok(rw && BigInt(rw.total) === 0n && BigInt(rw.total_shards) === 0n, 'the empty report stays on chain');
    }
    // One line per action: a set_epoch_reward per epoch and ⌈providers/16⌉ batches.
    const events = await reportEvents(from, await bestBlock(api));
    for (const [m, e] of pairs) {
      const doc = files.get(`${m}/${e}`);
      const n = Object.keys(doc.shards).length;
      const c = events.get(`${m}/${e}`);
      assert.equal(c?.rewards, 1, `${m}/${e} rewards`);
      assert.equal(c?.providers ?? 0, n, `${m}/${e} providers`);
      assert.equal(c?.batches ?? 0, Math.ceil(n / 16), `${m}/${e} batches`);
      assert.match(r.out, new RegExp(`model ${m} epoch ${e}: set_epoch_reward\\(total ${doc.total} = .* in block \\d+, fee \\d`));
    }
    assert.match(r.out, /model 1 epoch \d+: record_provider_shards\(16 provider\(s\): m1-node-00=\d+/);
    // Nothing left to do: a second pass sends nothing.
    const again = await runOnce();
    assert.equal(again.code, 0, again.out);
    assert.doesNotMatch(again.out, /set_epoch_reward\(|record_provider_shards\(/);
  });

  test('killed with SIGKILL at random points and restarted many times: chain equals files, no duplicate report', async () => {
    const pairs = writeNext(3);
    await endWritten();
    const from = await bestBlock(api);
    // Each run is killed right after its first action: after a set_epoch_reward (before the
    // shards), after the first batch of 16 (before the second), after the last batch; a random
    // delay of up to 120 ms lands some kills in the next dry-run or transaction.
    const kills = { afterReward: 0, midBatches: 0, other: 0 };
    for (let i = 0; i < 6 && !(await allOnChain(pairs)); i += 1) {
      const r = startReporter(common(), env);
      const line = await r.waitFor(/: (set_epoch_reward|record_provider_shards)\(/, 20_000);
      if (line) await new Promise((res) => setTimeout(res, Math.floor(Math.random() * 120)));
      await r.kill('SIGKILL');
      if (!line) continue;
      if (/set_epoch_reward\(/.test(line)) kills.afterReward += 1;
      else if (/record_provider_shards\(16 provider/.test(line)) kills.midBatches += 1;
      else kills.other += 1;
    }
    progress(`kills: ${JSON.stringify(kills)}`);
    assert.ok(kills.afterReward >= 2 && kills.midBatches >= 1, `kills: ${JSON.stringify(kills)}`);
    const last = startReporter(common(), env);
    await waitOnChain(pairs);
    await new Promise((res) => setTimeout(res, 1_500)); // a pass or two after: nothing more is sent
    await last.kill('SIGTERM');
    const events = await reportEvents(from, await bestBlock(api));
    for (const [m, e] of pairs) {
      const n = Object.keys(files.get(`${m}/${e}`).shards).length;
      const c = events.get(`${m}/${e}`);
      assert.equal(c?.rewards, 1, `${m}/${e}: set_epoch_reward sent ${c?.rewards} time(s)`);
      assert.equal(c?.providers, n, `${m}/${e}: ${c?.providers} provider entries for ${n} providers`);
    }
  });

  let corrected; // [model, epoch] corrected before finality, refused after
  let daemon;
  let metricsPort;

  test('a file changed before finality is corrected on chain (lower, then total, then raise)', async () => {
    metricsPort = await freePort();
    daemon = startReporter([...common(), '--metrics-port', String(metricsPort)], env);
    const [pair] = writeNext(1).filter(([m]) => m === 1);
    await endWritten();
    await waitOnChain([pair]);
    corrected = pair;
    const [m, e] = pair;
    const from = await bestBlock(api);
    const doc = files.get(`${m}/${e}`);
    // Remove the first provider (omitted), zero the second, raise the third, lower total_shards
    // below what is recorded and change the total.
    const ids = Object.keys(doc.shards);
    const shards = { ...doc.shards };
    delete shards[ids[0]];
    shards[ids[1]] = 0;
    shards[ids[2]] = doc.shards[ids[2]] + 2;
    const sum = Object.values(shards).reduce((a, b) => a + b, 0);
    assert.ok(sum < Object.values(doc.shards).reduce((a, b) => a + b, 0));
    const fixed = { total: FUNC(33).toString(), total_shards: sum, shards };
    writeReport(m, e, fixed);
    await waitOnChain([pair]);
    assert.ok(await onChain(m, e, { ...fixed, shards: { ...shards, [ids[0]]: 0 } }), 'the omitted provider has no shards left');
    const events = await reportEvents(from, await bestBlock(api));
    assert.equal(events.get(`${m}/${e}`).rewards, 1, 'one set_epoch_reward for the correction');
    const log = daemon.lines.filter((l) => new RegExp(`model ${m} epoch ${e}:`).test(l)).slice(-3);
    assert.match(log[0], new RegExp(`record_provider_shards\\(2 provider\\(s\\): ${ids[0]}=0 \\(removed\\), ${ids[1]}=0 \\(removed\\)\\)`));
    assert.match(log[1], /set_epoch_reward\(total 33000000000000000000 = 33 FUNC/);
    assert.match(log[2], new RegExp(`record_provider_shards\\(1 provider\\(s\\): ${ids[2]}=`));
    // /health and /metrics
    const h = await fetch(`http://127.0.0.1:${metricsPort}/health`);
    assert.equal(h.status, 200);
    assert.equal((await h.json()).ok, true);
    let metrics = '';
    const want = new RegExp(`func_reporter_last_reported_epoch\\{model="1"\\} ${e}\\b`);
    for (let i = 0; i < 50 && !want.test(metrics); i += 1) {
      if (i) await new Promise((r) => setTimeout(r, 200));
      metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    }
    assert.match(metrics, want);
    assert.match(metrics, /func_reporter_epochs_behind\{model="1"\} \d+/);
    assert.match(metrics, /func_reporter_reward_funding_unreserved_func\{model="2"\} \d/);
    assert.match(metrics, /func_reporter_failures_total/);
    assert.match(metrics, /func_reporter_transactions_total\{model="1",message="record_provider_shards"\} \d+/);
  });

  test('the node stopped and restarted under the running reporter: it reconnects and catches up', async () => {
    // end the next epoch first (no file yet, so nothing to send), then write its files while the node is down
    await advanceEpochs(Math.max(nextEpoch[1], nextEpoch[2]) + 1);
    await api.disconnect();
    await node.stop();
    assert.ok(await daemon.waitFor(/lost the connection to the node/, 15_000, { past: true }), 'the reporter notices');
    const down = await fetch(`http://127.0.0.1:${metricsPort}/health`);
    assert.equal(down.status, 503, 'unhealthy while the node is down');
    const pairs = writeNext(1);
    await new Promise((r) => setTimeout(r, 1_000));
    node = await startNodeAt(nodeArgs);
    await openApi();
    assert.ok(await daemon.waitFor(/reconnected to the node/, 30_000, { past: true }), 'the reporter reconnects');
    await waitOnChain(pairs, 60_000);
    const up = await fetch(`http://127.0.0.1:${metricsPort}/health`);
    assert.equal(up.status, 200, 'healthy again');
  });

  test('reports suspended by the owner: the reporter waits, says so, and reports after the resume', async (t) => {
    const pool = await s.Alice.pool(1);
    if (!pool.abi.messages.some((msg) => msg.identifier === 'suspend_reports')) {
      t.skip('this provider_staking bundle has no suspend_reports (issue 17 not built yet)');
      return;
    }
    await pool.tx('suspend_reports', []);
    const pairs = writeNext(1);
    await endWritten();
    assert.ok(await daemon.waitFor(/model 1: reports are suspended/, 20_000, { past: true }));
    await waitOnChain(pairs.filter(([m]) => m === 2));
    assert.equal(await onChain(...pairs.find(([m]) => m === 1)), false, 'model 1 waits');
    await pool.tx('resume_reports', []);
    await advanceBlocks(api, 1, s.Alice.signer);
    assert.ok(await daemon.waitFor(/model 1: reports resumed/, 20_000, { past: true }));
    await waitOnChain(pairs);
  });

  test('a reporter down for several epochs catches up (key from --suri-file)', async () => {
    await daemon.kill('SIGTERM');
    assert.match(daemon.text(), /reporter stopped/);
    const pairs = writeNext(4);
    await endWritten();
    await advanceEpochs((await current()) + 2);
    const keyFile = join(work, 'scheduler.key');
    writeFileSync(keyFile, '//Dave\n');
    chmodSync(keyFile, 0o600);
    daemon = startReporter([...common(), '--suri-file', keyFile], {});
    await waitOnChain(pairs, 90_000);
    assert.match(daemon.text(), /key from --suri-file/);
    await daemon.kill('SIGTERM');
  });

  test('each bad input is named in one line and the rest is reported; low funding warns', async () => {
    const [e1, e2] = [nextEpoch[1], nextEpoch[1] + 1];
    const [f1, f2] = [nextEpoch[2], nextEpoch[2] + 1];
    nextEpoch[1] += 2;
    nextEpoch[2] += 2;
    writeReport(1, e1, null, { raw: '{"total": "5", "total_shards": 3, "shards": {' });
    writeReport(2, f1, { total: FUNC(5).toString(), total_shards: 4, shards: { 'm2-node-a': 3, 'm2-node-b': 2 } });
    const good1 = reportFor(1, e2);
    good1.shards['eve-unstaked'] = 2; // registered, never staked
    good1.shards['ghost-node'] = 1; // not even registered
    good1.total_shards += 3;
    writeReport(1, e2, good1);
    writeReport(2, f2, reportFor(2, f2));
    writeReport(99, 1, reportFor(2, 1));
    mkdirSync(join(source, 'notes'), { recursive: true });
    // leave model 2 about 1.5 epochs of funding: reporting f2 leaves less than 3 epochs
    const pool2 = await s.Alice.pool(2);
    const funding = await pool2.query('reward_funding');
    const unreserved = BigInt(funding.balance) - BigInt(funding.reserved);
    await ops.withdrawUnreserved(s.Alice, 2, s.Alice.signer.address, unreserved - (FUNC(5) * 3n) / 2n);
    await endWritten();
    const r = await runOnce(['--suri', '//Dave'], {}); // --suri on a development chain
    assert.equal(r.code, 1, r.out);
    const out = r.out;
    const path = (m, e) => join(source, String(m), `${e}.json`);
    assert.match(out, new RegExp(`skipped ${path(1, e1)}: malformed JSON`));
    assert.match(out, new RegExp(`skipped ${path(2, f1)}: the shards add up to 5, above total_shards 4`));
    assert.match(out, new RegExp(`skipped provider eve-unstaked in ${path(1, e2)}: .*held no stake.*NotStakedInEpoch`));
    assert.match(out, new RegExp(`skipped provider ghost-node in ${path(1, e2)}: .*NotStakedInEpoch`));
    assert.match(out, new RegExp(`skipped ${join(source, '99')}: unknown model 99`));
    assert.match(out, new RegExp(`ignored ${join(source, 'notes')}: not a model id`));
    assert.match(out, /warning: model 2: the pool's unreserved reward funding .* covers fewer than 3 epochs/);
    for (const re of [/malformed JSON/, /unknown model 99/, /skipped provider eve-unstaked/]) {
      assert.equal(out.split('\n').filter((l) => re.test(l)).length, 1, `one line for ${re}`);
    }
    // the rest is on chain
    assert.ok(await onChain(1, e2, good1, { skip: ['eve-unstaked', 'ghost-node'] }));
    assert.ok(await onChain(2, f2));
    assert.equal(await (await s.Alice.pool(1)).query('epoch_reward', [e1]), null);
    assert.equal(await pool2.query('epoch_reward', [f1]), null);
    rmSync(join(source, '99'), { recursive: true });
    rmSync(join(source, 'notes'), { recursive: true });
  });

  test('a pool running other code than the loaded bundle: named, nothing sent (exit 2)', async () => {
    const dir = join(work, 'other-bundles');
    for (const [name, b] of Object.entries(bundles)) {
      mkdirSync(join(dir, name), { recursive: true });
      const copy = name === 'provider_staking' ? { ...b, source: { ...b.source, hash: `0x${'ab'.repeat(32)}` } } : b;
      writeFileSync(join(dir, name, `${name}.contract`), JSON.stringify(copy));
    }
    const pair = [1, nextEpoch[1]]; // model 2's funding ran low above
    nextEpoch[1] += 1;
    writeReport(1, pair[1], reportFor(1, pair[1]));
    await endWritten();
    const nonce = (await api.query.system.account(scheduler().address)).nonce.toNumber();
    const r = await runOnce(['--artifacts', dir]);
    assert.equal(r.code, 2, r.out);
    assert.match(r.out, /error: model 1's pool runs code 0x[0-9a-f]{64}, not the provider_staking bundle's 0x(ab){32}: .*nothing is sent to it/);
    assert.equal((await api.query.system.account(scheduler().address)).nonce.toNumber(), nonce, 'no transaction sent');
    assert.equal(await onChain(...pair), false);
    const ok = await runOnce();
    assert.ok(await onChain(...pair), ok.out);
  });

  test('a file changed after finality: a clear refusal in the log, nothing sent', async () => {
    const [m, e] = corrected;
    const pool = await s.Alice.pool(m);
    const dave = new Suite(api, scheduler(), bundles, deployment);
    const davePool = await dave.pool(m);
    for (let i = 0; i < 80; i += 1) {
      if (Number(await pool.query('finalized_through')) >= e) break;
      const probe = await davePool.tryQuery('set_epoch_reward', [e, 1n, 1000n]);
      if (!probe.ok && probe.error?.variant === 'EpochFinalized') break;
      await advanceEpochs((await current()) + 1);
    }
    const doc = files.get(`${m}/${e}`);
    const changed = { ...doc, total: (BigInt(doc.total) + 1n).toString() };
    writeReport(m, e, changed);
    const nonce = (await api.query.system.account(scheduler().address)).nonce.toNumber();
    const from = await bestBlock(api);
    const r = await runOnce([], env);
    assert.match(r.out, new RegExp(`refused ${join(source, String(m), `${e}.json`)}: model ${m} epoch ${e} is final.*nothing (was )?sent`));
    assert.equal((await api.query.system.account(scheduler().address)).nonce.toNumber(), nonce, 'no transaction sent');
    const events = await reportEvents(from, await bestBlock(api));
    assert.equal(events.get(`${m}/${e}`), undefined);
  });
});
