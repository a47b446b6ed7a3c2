// The gateway (client/lib/gateway): its pieces offline, then the whole loop against a real
// substrate-contracts-node, the deployed suite and real local HTTP servers (the demo provider):
// routing from the chain, failures, suspension, slow providers, refusal of private targets,
// streaming, usage files and the reporter input.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Suite, connect, deploy, loadBundles, ops, parseAmount, providerIdBytes, signerFromUri, writeDeployment } from '../lib/index.js';
import { LatencyHistogram, ProviderState, UsageStore, chooseProvider, checkHost, parseProviderUrl, refusalReason, reportFromUsage } from '../lib/gateway/index.js';
import { filterHeaders, upstreamPath } from '../lib/gateway/proxy.js';
import { createDemoProvider } from '../lib/gateway/demo-provider.js';
import { freePort, requireBundles, startNode } from './helpers.js';

const CLI = fileURLToPath(new URL('../bin/func.js', import.meta.url));
const FUNC = (n) => parseAmount(String(n));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('gateway pieces (offline)', () => {
  test('private, loopback and link-local addresses are refused with a reason; public ones pass', async () => {
    for (const [ip, re] of [
      ['127.0.0.1', /loopback/],
      ['10.1.2.3', /private/],
      ['172.16.5.4', /private/],
      ['192.168.1.1', /private/],
      ['169.254.169.254', /link-local/],
      ['100.64.0.1', /shared address space/],
      ['0.0.0.0', /unspecified/],
      ['::1', /loopback/],
      ['fe80::1', /link-local/],
      ['fd12::1', /unique local/],
      ['::ffff:10.0.0.1', /private.*inside IPv6/],
      ['::ffff:7f00:1', /loopback/],
      ['224.0.0.1', /multicast/],
    ]) {
      assert.match(refusalReason(ip) ?? '', re, ip);
    }
    for (const ip of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111']) assert.equal(refusalReason(ip), null, ip);
    // URL forms the WHATWG parser normalises to loopback are caught too
    assert.equal(parseProviderUrl('http://2130706433/').url.hostname, '127.0.0.1');
    assert.match((await checkHost(parseProviderUrl('http://0x7f.1/').url.hostname)).refused, /loopback/);
    assert.match((await checkHost('[::1]')).refused, /loopback/);
    assert.match((await checkHost('localhost')).refused, /localhost resolves to a loopback/);
    assert.deepEqual((await checkHost('localhost', { allowPrivate: true })).refused, undefined);
    assert.match(parseProviderUrl('http://user:pw@example.com').refused, /credentials/);
    assert.match(parseProviderUrl('ftp://example.com').refused, /not http or https/);
    assert.match(parseProviderUrl('nonsense').refused, /does not parse/);
  });

  test('hop-by-hop headers and client credentials are dropped; provider paths join', () => {
    const drop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'authorization', 'cookie']);
    const out = filterHeaders({ connection: 'keep-alive, x-secret-hop', 'keep-alive': '5', 'x-secret-hop': '1', authorization: 'Bearer k', cookie: 'a=b', 'x-keep': 'yes', 'content-type': 'application/json' }, drop);
    assert.deepEqual(out, { 'x-keep': 'yes', 'content-type': 'application/json' });
    assert.equal(upstreamPath(new URL('https://n.example/api/'), '/v1/chat/completions', '?a=1'), '/api/v1/chat/completions?a=1');
    assert.equal(upstreamPath(new URL('https://n.example'), '/x', ''), '/x');
  });

  test('latency percentiles come from a mergeable log histogram within 10 %', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 1000; i += 1) h.add(i);
    for (const [q, v] of [[0.5, 500], [0.9, 900], [0.99, 990]]) {
      const got = h.quantile(q);
      assert.ok(got >= v && got <= v * 1.1, `p${q * 100} = ${got}, expected about ${v}`);
    }
    const back = new LatencyHistogram(JSON.parse(JSON.stringify(h.toJSON())));
    assert.equal(back.quantile(0.9), h.quantile(0.9));
    assert.equal(new LatencyHistogram().quantile(0.5), null);
  });

  test('the choice prefers fast, successful providers; suspension backs off exponentially', () => {
    const fast = new ProviderState({ modelId: 1, id: 'fast', url: 'http://a' });
    const slow = new ProviderState({ modelId: 1, id: 'slow', url: 'http://b' });
    const flaky = new ProviderState({ modelId: 1, id: 'flaky', url: 'http://c' });
    for (const p of [fast, slow, flaky]) p.base = new URL(p.url);
    for (let i = 0; i < 5; i += 1) {
      fast.onSuccess(5);
      slow.onSuccess(100);
      flaky.onSuccess(5);
    }
    flaky.onFailure('status_5xx');
    flaky.onFailure('status_5xx');
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const n = { fast: 0, slow: 0, flaky: 0 };
    for (let i = 0; i < 3000; i += 1) n[chooseProvider([fast, slow, flaky], { random }).id] += 1;
    assert.ok(n.fast > 5 * n.slow, JSON.stringify(n));
    assert.ok(n.fast > n.flaky && n.flaky > n.slow, JSON.stringify(n));
    const policy = { failureThreshold: 3, backoffBaseMs: 1000, backoffMaxMs: 4000, resetAfterSuccesses: 2, successAlpha: 0.2, latencyAlpha: 0.3 };
    const p = new ProviderState({ modelId: 1, id: 'p', url: 'http://p' });
    p.base = new URL(p.url);
    assert.equal(p.onFailure('x', { now: 0, policy }), null);
    assert.equal(p.onFailure('x', { now: 0, policy }), null);
    assert.deepEqual(p.onFailure('x', { now: 0, policy }), { ms: 1000, until: 1000 });
    assert.equal(chooseProvider([p]), p, 'a suspended provider is the fallback when nothing else is left');
    assert.equal(chooseProvider([p, fast]), fast);
    p.resume();
    assert.equal(p.suspend(0, policy).ms, 2000);
    p.resume();
    assert.equal(p.suspend(0, policy).ms, 4000);
    p.resume();
    assert.equal(p.suspend(0, policy).ms, 4000, 'capped at backoffMaxMs');
    p.resume();
    p.onSuccess(1, policy);
    assert.equal(p.onSuccess(1, policy), true, 'successes in a row reset the backoff');
    assert.equal(p.onFailure('connect', { immediate: true, now: 0, policy }).ms, 1000);
  });

  test('usage becomes the reporter input; final epochs are never rewritten; counters survive a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'func-usage-'));
    const u = new UsageStore({ dir, epochReward: FUNC(10) });
    u.lock();
    assert.throws(() => new UsageStore({ dir }).lock(), /another gateway \(pid \d+\) writes to/);
    u.noteServing(1, 3);
    const rec = (epoch, provider, outcome) => u.record({ model: 1, epoch, provider, outcome, bytesIn: 10, bytesOut: 100, latencyMs: 5 });
    for (let i = 0; i < 3; i += 1) rec(3, 'p-a', 'success');
    rec(3, 'p-b', 'success');
    rec(3, 'p-b', 'failure');
    rec(3, 'p-c', 'client_error');
    u.flush();
    u.unlock();
    // a new process reads the counters back
    const v = new UsageStore({ dir, epochReward: FUNC(10) });
    v.lock();
    v.record({ model: 1, epoch: 3, provider: 'p-a', outcome: 'success', latencyMs: 7 });
    const snap = v.snapshot(1, 3);
    assert.equal(snap.providers['p-a'].successes, 4);
    assert.equal(snap.providers['p-a'].bytes_in, 30);
    assert.equal(snap.providers['p-b'].failures, 1);
    assert.deepEqual(reportFromUsage(snap, FUNC(10)), { total: FUNC(10).toString(), total_shards: 5, shards: { 'p-a': 4, 'p-b': 1 } });
    // epoch 5 is current: 3 and 4 have ended; 4 had no usage → an empty report
    const written = v.writeReports(1, { currentEpoch: 5, finalizedThrough: 0 });
    assert.deepEqual(written.map((w) => w.epoch), [3, 4]);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, '1', '3.json'), 'utf8')), { total: FUNC(10).toString(), total_shards: 5, shards: { 'p-a': 4, 'p-b': 1 } });
    assert.deepEqual(JSON.parse(readFileSync(join(dir, '1', '4.json'), 'utf8')), { total: '0', total_shards: 0, shards: {} });
    assert.deepEqual(v.writeReports(1, { currentEpoch: 5, finalizedThrough: 0 }), [], 'unchanged content is not rewritten');
    // a late request of epoch 3 corrects its report while it is not final …
    v.record({ model: 1, epoch: 3, provider: 'p-c', outcome: 'success' });
    assert.deepEqual(v.writeReports(1, { currentEpoch: 5, finalizedThrough: 2 }).map((w) => w.epoch), [3]);
    assert.equal(JSON.parse(readFileSync(join(dir, '1', '3.json'), 'utf8')).shards['p-c'], 1);
    // … and never once it is final on chain
    v.record({ model: 1, epoch: 3, provider: 'p-c', outcome: 'success' });
    assert.deepEqual(v.writeReports(1, { currentEpoch: 6, finalizedThrough: 3 }).map((w) => w.epoch), [5]);
    assert.equal(JSON.parse(readFileSync(join(dir, '1', '3.json'), 'utf8')).shards['p-c'], 1);
    assert.ok(!readdirSync(join(dir, '1')).some((f) => f.endsWith('.tmp')), 'no temporary file left');
    v.unlock();
  });
});

// --- against a real node ------------------------------------------------------------------

/** Starts `func gateway` as a child process; resolves once it listens. */
async function startGatewayProcess(args, { timeoutMs = 60_000 } = {}) {
  const child = spawn(process.execPath, [CLI, 'gateway', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  let buf = '';
  const onData = (d) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      lines.push(buf.slice(0, i));
      if (process.env.FUNC_TEST_VERBOSE) console.error(`[gateway] ${buf.slice(0, i)}`);
      buf = buf.slice(i + 1);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exit = null;
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exit = { code, signal }))));
  const deadline = Date.now() + timeoutMs;
  let url = null;
  while (!url) {
    const l = lines.find((x) => /gateway listening on /.test(x));
    if (l) url = /listening on (http:\/\/\S+)/.exec(l)[1];
    else if (exit) throw new Error(`the gateway exited (${JSON.stringify(exit)}):\n${lines.join('\n')}`);
    else if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the gateway did not start within ${timeoutMs / 1000}s:\n${lines.join('\n')}`);
    }
    else await sleep(100);
  }
  return {
    url,
    lines,
    child,
    exited,
    log: () => lines.join('\n'),
    async stop(signal = 'SIGTERM') {
      if (!exit) child.kill(signal);
      return exited;
    },
  };
}

async function getJson(url) {
  const r = await fetch(url);
  return { status: r.status, body: await r.json() };
}

async function chat(gw, model, content, { stream = false, headers = {} } = {}) {
  const r = await fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model, stream, messages: [{ role: 'user', content }] }),
  });
  const text = await r.text();
  return { status: r.status, provider: r.headers.get('x-func-provider'), text, json: stream ? null : JSON.parse(text) };
}

/** Waits until the gateway's routing table was read at or after block `b`. */
async function waitRefresh(gw, b, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await getJson(`${gw.url}/health`);
    if ((body.block ?? 0) >= b) return body;
    if (Date.now() > deadline) throw new Error(`the routing table did not reach block ${b} within ${timeoutMs / 1000}s (at ${body.block})`);
    await sleep(100);
  }
}

async function waitFor(what, fn, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function metricValue(text, name, labels) {
  const want = Object.entries(labels);
  let sum = 0;
  let found = false;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!want.every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    found = true;
  }
  return found ? sum : null;
}

/** Sums every usage file of `model` under `dir`: provider → counters. */
function usageTotals(dir, model) {
  const out = {};
  const d = join(dir, 'usage', String(model));
  if (!existsSync(d)) return out;
  for (const f of readdirSync(d).filter((x) => /^\d+\.json$/.test(x))) {
    const j = JSON.parse(readFileSync(join(d, f), 'utf8'));
    for (const [id, c] of Object.entries(j.providers)) {
      const t = (out[id] ??= { requests: 0, successes: 0, failures: 0, not_sent: 0, bytes_in: 0, bytes_out: 0 });
      t.requests += c.requests;
      t.successes += c.successes;
      t.failures += c.failures;
      t.not_sent += (c.errors.connect ?? 0) + (c.errors.connect_timeout ?? 0) + (c.errors.refused_address ?? 0);
      t.bytes_in += c.bytes_in;
      t.bytes_out += c.bytes_out;
    }
  }
  return out;
}

describe('gateway on a real contracts node', { concurrency: false, timeout: 10 * 60_000 }, () => {
  let node;
  let api;
  let deploymentFile;
  let alice;
  let bob;
  const demos = {}; // provider id → demo server
  let gw;
  let usageDir;
  let gwArgs;
  const progress = process.env.FUNC_TEST_VERBOSE ? (l) => console.error(l) : () => {};

  before(async () => {
    const bundles = loadBundles(requireBundles());
    node = await startNode();
    await cryptoWaitReady();
    api = await connect(node.url);
    const out = await deploy({
      api,
      signer: signerFromUri('//Alice'),
      bundles,
      network: 'gateway-test',
      url: node.url,
      parameters: { epoch_length: 10, min_epochs_locked: 1, epoch_reward_delay: 2, auto_whitelist: true },
      roles: [{ role: 'Scheduler', account: signerFromUri('//Dave').address }],
      onProgress: progress,
    });
    deploymentFile = join(mkdtempSync(join(tmpdir(), 'func-gw-deploy-')), 'gateway-test.json');
    alice = new Suite(api, signerFromUri('//Alice'), bundles, out.deployment);
    bob = new Suite(api, signerFromUri('//Bob'), bundles, out.deployment);
    await ops.createModel(alice, { modelId: 1, name: 'demo-llm', shards: 1, computeUnits: 1, stakeAmount: FUNC(100) });
    await ops.createModel(alice, { modelId: 2, name: 'demo-embed', shards: 1, computeUnits: 1, stakeAmount: FUNC(100) });
    await ops.createModel(alice, { modelId: 3, name: 'far-away', shards: 1, computeUnits: 1, stakeAmount: FUNC(100) });
    writeDeployment(deploymentFile, alice.deployment);
    await ops.transfer(alice, bob.signer.address, FUNC(10_000));
    for (const m of [1, 2]) await ops.fundRewards(alice, m, FUNC(1_000));
    // demo servers: four active providers of model 1, one of model 2, one registered but never staked
    for (const id of ['p-a', 'p-b', 'p-c', 'p-d', 'p-e', 'p-idle']) {
      demos[id] = createDemoProvider({ name: id });
      await demos[id].listen(0, '127.0.0.1');
    }
    for (const id of ['p-a', 'p-b', 'p-c', 'p-d']) await ops.registerAndStake(bob, id, 1, ops.buildMetadata({ url: demos[id].url, name: id }));
    await ops.registerAndStake(bob, 'p-e', 2, ops.buildMetadata({ url: demos['p-e'].url }));
    await ops.register(bob, 'p-idle', 1, ops.buildMetadata({ url: demos['p-idle'].url }));
    // model 3: URLs that only an attacker would register (never reachable from this test)
    await ops.registerAndStake(bob, 'p-private', 3, ops.buildMetadata({ url: 'http://10.0.0.7:8000' }));
    await ops.registerAndStake(bob, 'p-metadata', 3, ops.buildMetadata({ url: 'http://169.254.169.254/latest' }));
    usageDir = mkdtempSync(join(tmpdir(), 'func-gw-usage-'));
    gwArgs = [
      '--url', node.url, '--deployment', deploymentFile, '--usage', usageDir, '--models', '1,2', '--allow-private',
      '--epoch-reward', '10', '--flush-ms', '300', '--health-interval-ms', '500', '--backoff-ms', '500', '--backoff-max-ms', '2000',
      '--failure-threshold', '2', '--connect-timeout-ms', '1000',
    ];
    gw = await startGatewayProcess([...gwArgs, '--listen', `127.0.0.1:${await freePort()}`]);
  });

  after(async () => {
    await gw?.stop('SIGKILL');
    for (const d of Object.values(demos)) await d.close().catch(() => {});
    await api?.disconnect();
    await node?.stop();
  });

  const seen = () => Object.fromEntries(Object.entries(demos).map(([id, d]) => [id, d.stats.requests]));
  const delta = (before) => Object.fromEntries(Object.entries(seen()).map(([id, n]) => [id, n - before[id]]));

  test('only active providers receive requests; /health and /v1/models show the table', async () => {
    const h = (await getJson(`${gw.url}/health`)).body;
    assert.equal(h.status, 'ok');
    assert.deepEqual(h.models['1'].providers.map((p) => p.id).sort(), ['p-a', 'p-b', 'p-c', 'p-d']);
    assert.equal(h.models['2'].active, 1);
    const models = (await getJson(`${gw.url}/v1/models`)).body.data.map((m) => m.id).sort();
    assert.deepEqual(models, ['demo-embed', 'demo-llm']);
    const before = seen();
    const served = new Set();
    for (let i = 0; i < 40; i += 1) {
      const r = await chat(gw, i % 2 ? 'demo-llm' : 1, `hello ${i}`);
      assert.equal(r.status, 200, r.text);
      assert.match(r.json.choices[0].message.content, new RegExp(`echo: hello ${i}$`));
      served.add(r.provider);
    }
    const d = delta(before);
    assert.equal(d['p-idle'], 0, 'a registered provider without stake gets nothing');
    assert.equal(d['p-e'], 0, "model 2's provider gets nothing of model 1");
    assert.equal(d['p-a'] + d['p-b'] + d['p-c'] + d['p-d'], 40);
    assert.ok(served.size >= 3, `requests spread over the active providers: ${[...served]}`);
    const e = await chat(gw, 'demo-embed', 'x');
    assert.equal(e.provider, 'p-e');
    const unknown = await chat(gw, 'no-such-model', 'x');
    assert.equal(unknown.status, 404);
    assert.match(unknown.json.error.message, /no model "no-such-model"/);
  });

  test('/models/<id>/<path>: path, query, headers and body pass; credentials and hop-by-hop headers do not', async () => {
    // node:http sends the headers as given (a Connection header naming another hop-by-hop header)
    const r = await new Promise((resolve, reject) => {
      const req = httpRequest(`${gw.url}/models/1/echo/a/b?x=1&y=2`, {
        method: 'POST',
        headers: { authorization: 'Bearer client-secret', cookie: 'session=s3cret', 'proxy-authorization': 'Basic x', connection: 'keep-alive, x-hop', 'x-hop': 'drop me', 'x-app': 'keep me', 'content-type': 'text/plain' },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ statusCode: res.statusCode, headers: res.headers, text }));
      });
      req.on('error', reject);
      req.end('the body');
    });
    const j = JSON.parse(r.text);
    assert.equal(r.statusCode, 200);
    assert.equal(j.path, '/echo/a/b?x=1&y=2');
    assert.equal(j.body, 'the body');
    assert.equal(j.headers['x-app'], 'keep me');
    assert.equal(j.headers['content-type'], 'text/plain');
    for (const h of ['authorization', 'cookie', 'proxy-authorization', 'x-hop']) assert.equal(j.headers[h], undefined, `${h} must not reach the provider`);
    assert.equal(r.headers['x-func-provider'], j.provider);
    const big = await fetch(`${gw.url}/models/1/echo`, { method: 'POST', body: 'x'.repeat(5 * 1024 * 1024) });
    assert.equal(big.status, 413);
    assert.match((await big.json()).error.message, /at most 4194304/);
  });

  test('streaming answers pass through chunk by chunk', async () => {
    for (const d of Object.values(demos)) d.opts.tokenDelayMs = 60;
    try {
      const t0 = performance.now();
      const r = await request(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'demo-llm', stream: true, messages: [{ role: 'user', content: 'one two three four five' }] }),
      });
      assert.equal(r.statusCode, 200);
      assert.match(r.headers['content-type'], /text\/event-stream/);
      const arrivals = [];
      let text = '';
      for await (const chunk of r.body) {
        arrivals.push(performance.now() - t0);
        text += chunk.toString();
      }
      const events = text.split('\n\n').filter(Boolean);
      assert.equal(events.at(-1), 'data: [DONE]');
      const words = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)).choices[0].delta.content ?? '').join('');
      assert.match(words, /echo: one two three four five$/);
      assert.ok(arrivals.length >= 4, `the answer came in ${arrivals.length} chunk(s)`);
      assert.ok(arrivals.at(-1) - arrivals[0] >= 200, `chunks spread over time: ${arrivals.map((x) => x.toFixed(0)).join(', ')} ms`);
    } finally {
      for (const d of Object.values(demos)) d.opts.tokenDelayMs = 0;
    }
  });

  test('a slow provider gets less traffic', async () => {
    demos['p-d'].opts.delayMs = 150;
    try {
      const before = seen();
      for (let i = 0; i < 60; i += 1) assert.equal((await chat(gw, 1, `s${i}`)).status, 200);
      const d = delta(before);
      const fast = Math.min(d['p-a'], d['p-b'], d['p-c']);
      assert.ok(d['p-d'] < 8 && d['p-d'] < fast, `slow p-d got ${d['p-d']} of 60; the others ${d['p-a']}, ${d['p-b']}, ${d['p-c']}`);
    } finally {
      demos['p-d'].opts.delayMs = 0;
    }
  });

  test('a failing provider is suspended, its requests go elsewhere, and it is retried later', async () => {
    const c = demos['p-c'];
    const port = c.port;
    await c.close();
    for (let i = 0; i < 20; i += 1) {
      const r = await chat(gw, 1, `f${i}`);
      assert.equal(r.status, 200, `a refused connection is retried on another provider: ${r.text}`);
      assert.notEqual(r.provider, 'p-c');
    }
    await waitFor('the suspension of p-c', () => /suspended provider p-c \(model 1\)/.test(gw.log()));
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    assert.ok(metricValue(metrics, 'func_gateway_suspensions_total', { provider: 'p-c' }) >= 1);
    assert.ok(metricValue(metrics, 'func_gateway_upstream_errors_total', { provider: 'p-c', kind: 'connect' }) >= 1);
    // a provider answering 500 is suspended after --failure-threshold (2) failures in a row
    demos['p-b'].opts.failRate = 1;
    let fails = 0;
    for (let i = 0; i < 60 && !/suspended provider p-b/.test(gw.log()); i += 1) {
      const r = await chat(gw, 1, `g${i}`);
      if (r.status === 500) fails += 1; // a POST is not retried once the provider had it: its 500 passes through
    }
    assert.ok(fails >= 2 && /suspended provider p-b \(model 1\).*status_5xx/.test(gw.log()), gw.log());
    demos['p-b'].opts.failRate = 0;
    // p-c comes back on its port: after its backoff a health check resumes it
    demos['p-c'] = createDemoProvider({ name: 'p-c' });
    Object.assign(demos['p-c'].stats, { requests: c.stats.requests, bytes_in: c.stats.bytes_in, bytes_out: c.stats.bytes_out, by_status: c.stats.by_status });
    await demos['p-c'].listen(port, '127.0.0.1');
    await waitFor('p-c resumed', () => /resumed provider p-c/.test(gw.log()), 15_000);
    await waitFor('p-b resumed', () => /resumed provider p-b/.test(gw.log()), 15_000);
    const before = seen();
    for (let i = 0; i < 40 && delta(before)['p-c'] === 0; i += 1) assert.equal((await chat(gw, 1, `r${i}`)).status, 200);
    assert.ok(delta(before)['p-c'] > 0, 'p-c serves again');
  });

  test('a restart (SIGTERM, then SIGKILL after a flush) keeps the epoch counters', async () => {
    await gw.stop('SIGTERM');
    assert.match(gw.log(), /SIGTERM: stopping[\s\S]*gateway stopped: usage flushed/);
    const totals = usageTotals(usageDir, 1);
    const sent = Object.values(totals).reduce((a, t) => a + t.requests - t.not_sent, 0);
    const served = ['p-a', 'p-b', 'p-c', 'p-d'].reduce((a, id) => a + demos[id].stats.requests, 0);
    assert.equal(sent, served, 'every request a provider saw is in the usage files');
    gw = await startGatewayProcess([...gwArgs, '--listen', `127.0.0.1:${await freePort()}`]);
    for (let i = 0; i < 10; i += 1) assert.equal((await chat(gw, 1, `after restart ${i}`)).status, 200);
    await sleep(700); // two flushes (--flush-ms 300)
    const again = usageTotals(usageDir, 1);
    assert.equal(Object.values(again).reduce((a, t) => a + t.requests - t.not_sent, 0), sent + 10);
    // SIGKILL: nothing flushed is lost, and the lock file it leaves does not block the restart
    await gw.stop('SIGKILL');
    assert.ok(existsSync(join(usageDir, 'usage', 'gateway.lock')));
    gw = await startGatewayProcess([...gwArgs, '--listen', `127.0.0.1:${await freePort()}`]);
    assert.equal((await chat(gw, 1, 'after SIGKILL')).status, 200);
    await sleep(700);
    assert.equal(Object.values(usageTotals(usageDir, 1)).reduce((a, t) => a + t.requests - t.not_sent, 0), sent + 11);
  });

  test('deactivation, jail and unstake take effect within one refresh; a disabled model gets no requests', async () => {
    const r1 = await ops.deactivate(bob, 'p-b');
    await waitRefresh(gw, r1.blockNumber);
    let before = seen();
    for (let i = 0; i < 20; i += 1) assert.equal((await chat(gw, 1, `d${i}`)).status, 200);
    assert.equal(delta(before)['p-b'], 0, 'deactivated p-b gets nothing');
    assert.match(gw.log(), /provider p-b \(model 1\) left the routing table/);

    const r2 = await ops.jail(alice, 'p-d', 2);
    await waitRefresh(gw, r2.blockNumber);
    before = seen();
    for (let i = 0; i < 20; i += 1) assert.equal((await chat(gw, 1, `j${i}`)).status, 200);
    assert.equal(delta(before)['p-d'], 0, 'jailed p-d gets nothing');

    // unstake needs the lock (1 epoch) to pass
    const now = Number(await alice.epoch.query('current_epoch'));
    await ops.advanceToEpoch(alice, now + 1, { signer: alice.signer });
    const r3 = await ops.unstake(bob, 'p-a');
    await waitRefresh(gw, r3.blockNumber);
    before = seen();
    for (let i = 0; i < 10; i += 1) {
      const r = await chat(gw, 1, `u${i}`);
      assert.equal(r.provider, 'p-c');
    }
    assert.equal(delta(before)['p-a'], 0, 'unstaked p-a gets nothing');

    assert.equal((await chat(gw, 'demo-embed', 'before')).status, 200);
    const r4 = await alice.router.tx('disable_model', [2]);
    await waitRefresh(gw, r4.blockNumber);
    const off = await chat(gw, 'demo-embed', 'after');
    assert.equal(off.status, 503);
    assert.match(off.json.error.message, /model 2 is disabled/);
  });

  test('without --allow-private, loopback, private and link-local providers are refused (log and /metrics)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'func-gw-strict-'));
    const strict = await startGatewayProcess(['--url', node.url, '--deployment', deploymentFile, '--usage', dir, '--models', '1,3', '--listen', `127.0.0.1:${await freePort()}`]);
    try {
      const before = seen();
      const r = await chat(strict, 1, 'x');
      assert.equal(r.status, 503);
      assert.match(r.json.error.message, /no active provider the gateway can route to/);
      assert.equal((await chat(strict, 'far-away', 'x')).status, 503);
      assert.deepEqual(delta(before), Object.fromEntries(Object.keys(demos).map((id) => [id, 0])));
      const log = strict.log();
      assert.match(log, /refused provider p-c \(model 1\) at http:\/\/127\.0\.0\.1:\d+: loopback address 127\.0\.0\.1; --allow-private/);
      assert.match(log, /refused provider p-private \(model 3\) at http:\/\/10\.0\.0\.7:8000: private address \(10\.0\.0\.0\/8\)/);
      assert.match(log, /refused provider p-metadata \(model 3\) at http:\/\/169\.254\.169\.254\/latest: link-local address/);
      const metrics = await (await fetch(`${strict.url}/metrics`)).text();
      assert.equal(metricValue(metrics, 'func_gateway_provider_refused', { provider: 'p-c', reason: 'loopback address 127.0.0.1' }), 1);
      assert.equal(metricValue(metrics, 'func_gateway_provider_refused', { provider: 'p-private' }), 1);
      assert.equal(metricValue(metrics, 'func_gateway_provider_refused', { provider: 'p-metadata' }), 1);
      const h = (await getJson(`${strict.url}/health`)).body;
      assert.equal(h.models['1'].refused, h.models['1'].active);
      assert.match(h.models['3'].providers.find((p) => p.id === 'p-private').refused, /private address/);
    } finally {
      await strict.stop();
    }
  });

  test('usage files add up to what the servers saw; ended epochs become the reporter input', async () => {
    // end this epoch and the next (no traffic in it): their reporter input appears
    const now = Number(await alice.epoch.query('current_epoch'));
    await ops.advanceToEpoch(alice, now + 2, { signer: alice.signer });
    for (const f of [join(usageDir, '1', `${now + 1}.json`), join(usageDir, '2', `${now + 1}.json`)]) {
      await waitFor(`the reporter input ${f}`, () => existsSync(f), 15_000);
    }
    await gw.stop('SIGTERM');
    const totals = usageTotals(usageDir, 1);
    for (const id of ['p-a', 'p-b', 'p-c', 'p-d']) {
      const t = totals[id];
      const s = demos[id].stats;
      assert.equal(t.requests - t.not_sent, s.requests, `${id}: attempts that reached it`);
      assert.equal(t.successes, s.by_status[200] ?? 0, `${id}: successes = its 200 answers`);
      assert.equal(t.bytes_in, s.bytes_in, `${id}: request bytes`);
      assert.equal(t.bytes_out, s.bytes_out, `${id}: answer bytes`);
    }
    assert.equal(totals['p-idle'], undefined);
    assert.equal(usageTotals(usageDir, 2)['p-e'].successes, demos['p-e'].stats.by_status[200]);
    // every ended epoch since the gateway started has a reporter file: shards = successes
    const state = JSON.parse(readFileSync(join(usageDir, 'usage', 'state.json'), 'utf8'));
    for (const model of [1, 2]) {
      const first = state.models[String(model)].first_epoch;
      assert.ok(first < now, `model ${model} served from epoch ${first}`);
      for (let e = first; e <= now + 1; e += 1) {
        const report = JSON.parse(readFileSync(join(usageDir, String(model), `${e}.json`), 'utf8'));
        const path = join(usageDir, 'usage', String(model), `${e}.json`);
        const usage = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : { providers: {} };
        const shards = Object.fromEntries(Object.entries(usage.providers).filter(([, c]) => c.successes > 0).map(([id, c]) => [id, c.successes]));
        const totalShards = Object.values(shards).reduce((a, b) => a + b, 0);
        assert.deepEqual(report, { total: totalShards ? FUNC(10).toString() : '0', total_shards: totalShards, shards }, `model ${model} epoch ${e}`);
        if (e <= now) assert.ok(totalShards > 0, `model ${model} served requests in epoch ${e}`);
      }
      // the epoch after the traffic had none: an empty report
      assert.deepEqual(JSON.parse(readFileSync(join(usageDir, String(model), `${now + 1}.json`), 'utf8')), { total: '0', total_shards: 0, shards: {} });
    }
    const u = JSON.parse(readFileSync(join(usageDir, 'usage', '1', `${now}.json`), 'utf8')).providers['p-c'];
    assert.ok(u.latency_ms.p50 > 0 && u.latency_ms.p99 >= u.latency_ms.p90 && u.latency_ms.p90 >= u.latency_ms.p50, JSON.stringify(u.latency_ms));
  });

  test('the reporter (func reporter --once) turns the usage directory into the chain\'s shards', async () => {
    const r = spawnSync(process.execPath, [CLI, 'reporter', '--url', node.url, '--deployment', deploymentFile, '--source', usageDir, '--once', '--suri', '//Dave'], { encoding: 'utf8', timeout: 180_000 });
    const out = `${r.stdout}${r.stderr}`;
    assert.equal(r.status, 0, out);
    let checked = 0;
    for (const model of [1, 2]) {
      const pool = await alice.pool(model);
      for (const f of readdirSync(join(usageDir, String(model))).filter((x) => /^\d+\.json$/.test(x))) {
        const epoch = Number(f.slice(0, -5));
        const file = JSON.parse(readFileSync(join(usageDir, String(model), f), 'utf8'));
        const onChain = await pool.query('epoch_reward', [epoch]);
        assert.ok(onChain, `model ${model} epoch ${epoch} is reported`);
        assert.equal(BigInt(onChain.total), BigInt(file.total), `model ${model} epoch ${epoch} total`);
        assert.equal(Number(onChain.total_shards), file.total_shards, `model ${model} epoch ${epoch} total shards`);
        for (const [id, n] of Object.entries(file.shards)) {
          assert.equal(Number(await pool.query('provider_shards', [providerIdBytes(id), epoch])), n, `model ${model} epoch ${epoch} shards of ${id}`);
          checked += 1;
        }
      }
    }
    assert.ok(checked >= 5, `${checked} provider shards checked on chain`);
  });
});
