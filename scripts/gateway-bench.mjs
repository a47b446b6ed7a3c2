#!/usr/bin/env node
// Gateway benchmark (issue 19; not part of the test command): started by scripts/gateway-bench.sh.
//
// 1. Overhead: a fresh `substrate-contracts-node --dev`, the suite deployed, one demo provider
//    (its own process) registered and staked for model 1, the gateway (its own process, as
//    `func gateway`). The same chat completion is sent straight to the provider and through the
//    gateway by 1, 16 and 64 concurrent clients (keep-alive connections) for BENCH_SECONDS each:
//    p50 / p99 latency and requests per second of both; the added latency is the difference.
// 2. Routing table refresh: model 2 filled with staked providers (owners of 32 sending one
//    `utility.batchAll` each), the refresh the gateway runs on every block (router models,
//    current epoch, `get_active_providers` pages) timed in this process at 10, 100, 250, 500
//    and BENCH_PROVIDERS (default 1,000) providers: contract reads per refresh and milliseconds.
//
// Prints a progress line per step and the tables (Markdown) at the end; writes
// $CARGO_TARGET_DIR/gateway-bench/results.json (else target/gateway-bench/results.json).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import {
  Suite,
  bytesAsHex,
  connect,
  defaultArtifactsDir,
  deploy,
  loadBundles,
  ops,
  providerIdBytes,
  signerFromUri,
  submit,
  writeDeployment,
} from '../client/lib/index.js';
import { RoutingTable } from '../client/lib/gateway/index.js';
import { freePort, startNode } from '../client/test/helpers.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'client', 'bin', 'func.js');
// undici is a dependency of the client (scripts/ has no node_modules of its own)
const { Pool } = createRequire(join(ROOT, 'client', 'package.json'))('undici');
const TARGET_DIR = process.env.CARGO_TARGET_DIR ? resolve(ROOT, process.env.CARGO_TARGET_DIR) : join(ROOT, 'target');
const RESULTS = join(TARGET_DIR, 'gateway-bench', 'results.json');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const PROVIDERS = Number(process.env.BENCH_PROVIDERS ?? 1000);
const LEVELS = (process.env.BENCH_CONCURRENCY ?? '1,16,64').split(',').map(Number);
const FUNC = 10n ** 18n;
const STAKE = 1n * FUNC;
const PER_OWNER = 32;
const NATIVE = 10n ** 16n;

const started = Date.now();
const log = (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const children = [];
let benchNode = null;

function startChild(args, ready) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const on = (d) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) resolve({ child, match: m });
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.on('exit', (code) => reject(new Error(`${args[0]} exited (${code}):\n${out}`)));
  });
}

/** CPU seconds (user + system) a child process has used so far, from /proc (Linux). */
function cpuSeconds(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

function pct(sorted, q) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** `clients` loops sending the request for `seconds`; latencies (ms) and requests/second. */
async function load(origin, path, body, clients, seconds) {
  const pool = new Pool(origin, { connections: clients, pipelining: 1 });
  const lat = [];
  let errors = 0;
  const send = async () => {
    const t0 = performance.now();
    const r = await pool.request({ path, method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await r.body.text();
    if (r.statusCode !== 200) errors += 1;
    return performance.now() - t0;
  };
  // warm-up: open the connections
  await Promise.all(Array.from({ length: clients }, send));
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) lat.push(await send());
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  await pool.close();
  lat.sort((a, b) => a - b);
  return { requests: lat.length, errors, rps: lat.length / elapsed, p50: pct(lat, 0.5), p99: pct(lat, 0.99) };
}

async function main() {
  const results = { date: new Date().toISOString(), seconds_per_run: SECONDS, overhead: [], refresh: [] };
  const bundles = loadBundles(defaultArtifactsDir());
  const node = await startNode();
  benchNode = node;
  log(`node at ${node.url}`);
  const api = await connect(node.url);
  const alice = signerFromUri('//Alice');
  const { deployment } = await deploy({
    api,
    signer: alice,
    bundles,
    network: 'gateway-bench',
    url: node.url,
    parameters: { epoch_length: 1000, min_epochs_locked: 1, epoch_reward_delay: 2, auto_whitelist: true },
  });
  const suite = new Suite(api, alice, bundles, deployment);
  const dir = mkdtempSync(join(tmpdir(), 'func-gateway-bench-'));
  const deploymentFile = join(dir, 'deployment.json');
  await ops.createModel(suite, { modelId: 1, name: 'bench-llm', shards: 1, computeUnits: 1, stakeAmount: STAKE });
  await ops.createModel(suite, { modelId: 2, name: 'bench-many', shards: 1, computeUnits: 1, stakeAmount: STAKE });
  writeDeployment(deploymentFile, suite.deployment);
  log('suite deployed, models 1 and 2 created');

  // ---- 1. overhead ------------------------------------------------------------------------
  const demoPort = await freePort();
  const demo = await startChild(['demo-provider', '--listen', `127.0.0.1:${demoPort}`, '--name', 'bench'], /listening on/);
  const demoUrl = `http://127.0.0.1:${demoPort}`;
  await ops.registerAndStake(suite, 'bench-provider', 1, JSON.stringify({ url: demoUrl }));
  const gwPort = await freePort();
  const gateway = await startChild(
    ['gateway', '--url', node.url, '--deployment', deploymentFile, '--listen', `127.0.0.1:${gwPort}`, '--usage', join(dir, 'usage'), '--models', '1', '--allow-private'],
    /gateway listening on/,
  );
  const gwUrl = `http://127.0.0.1:${gwPort}`;
  log(`demo provider ${demoUrl}, gateway ${gwUrl}`);
  const body = JSON.stringify({ model: 'bench-llm', messages: [{ role: 'user', content: 'How fast is the gateway?' }] });
  for (const c of LEVELS) {
    const d0 = cpuSeconds(demo.child.pid);
    const direct = await load(demoUrl, '/v1/chat/completions', body, c, SECONDS);
    const d1 = cpuSeconds(demo.child.pid);
    const g0 = cpuSeconds(gateway.child.pid);
    const via = await load(gwUrl, '/v1/chat/completions', body, c, SECONDS);
    const g1 = cpuSeconds(gateway.child.pid);
    direct.provider_cpu_ms_per_request = d0 === null ? null : ((d1 - d0) * 1000) / direct.requests;
    via.gateway_cpu_ms_per_request = g0 === null ? null : ((g1 - g0) * 1000) / via.requests;
    const row = {
      clients: c,
      direct,
      gateway: via,
      added_p50_ms: via.p50 - direct.p50,
      added_p99_ms: via.p99 - direct.p99,
    };
    results.overhead.push(row);
    log(
      `${c} client(s): direct p50 ${direct.p50.toFixed(2)} ms p99 ${direct.p99.toFixed(2)} ms ${direct.rps.toFixed(0)} req/s; ` +
        `gateway p50 ${via.p50.toFixed(2)} ms p99 ${via.p99.toFixed(2)} ms ${via.rps.toFixed(0)} req/s (errors ${direct.errors}/${via.errors}); ` +
        `CPU per request: provider ${direct.provider_cpu_ms_per_request?.toFixed(3)} ms, gateway ${via.gateway_cpu_ms_per_request?.toFixed(3)} ms`,
    );
  }
  for (const ch of children.splice(0)) ch.kill('SIGTERM');

  // ---- 2. routing table refresh at many providers ----------------------------------------------
  const pool2 = await suite.pool(2);
  const table = new RoutingTable({ suite, models: [2], allowPrivate: true });
  const checkpoints = [10, 100, 250, 500, PROVIDERS].filter((n, i, a) => n <= PROVIDERS && a.indexOf(n) === i);
  const owners = [];
  let registered = 0;
  let gas = null;
  const idOf = (o, i) => `bench-${o}-${String(i).padStart(2, '0')}`;
  const meta = (n) => JSON.stringify({ url: `http://198.18.${Math.floor(n / 250)}.${(n % 250) + 1}:8000/v1`, name: `bench node ${n}` });
  const call = (handle, name, args, weight) => api.tx.contracts.call(handle.address, 0, api.registry.createType('WeightV2', weight), null, handle.message(name).toU8a(args.map(bytesAsHex)));
  const margin = (w) => ({ refTime: w.refTime.toBigInt() * 2n + 2_000_000_000n, proofSize: w.proofSize.toBigInt() * 2n + 262_144n });
  const addProviders = async (target) => {
    const news = [];
    while (registered < target) {
      const o = owners.length;
      const n = Math.min(PER_OWNER, target - registered);
      const key = signerFromUri(`//gateway-bench-${o}`);
      owners.push(key);
      news.push({ o, key, ids: Array.from({ length: n }, (_, i) => idOf(o, i)), first: registered });
      registered += n;
    }
    // fund: native + FUNC for each new owner, in one batch from Alice
    const tGas = margin((await suite.token.dryRun('transfer', [news[0].key.address, STAKE * BigInt(PER_OWNER), new Uint8Array()])).dry.gasRequired);
    const funding = news.flatMap(({ key, ids }) => [api.tx.balances.transferKeepAlive(key.address, NATIVE), call(suite.token, 'transfer', [key.address, STAKE * BigInt(ids.length), new Uint8Array()], tGas)]);
    for (let i = 0; i < funding.length; i += 64) await submit(api, api.tx.utility.batchAll(funding.slice(i, i + 64)), alice, { label: 'funding' });
    const aGas = margin((await suite.token.dryRun('approve', [pool2.address, STAKE * 32n], { origin: news[0].key.address })).dry.gasRequired);
    if (!gas) {
      await submit(api, call(suite.token, 'approve', [pool2.address, STAKE * BigInt(news[0].ids.length)], aGas), news[0].key, { label: 'approve' });
      const d = await suite.registry.dryRun('register_and_stake', [providerIdBytes(news[0].ids[0]), 2, meta(0)], { origin: news[0].key.address });
      if (!d.outcome.ok) throw new Error(`register_and_stake dry-run: ${d.outcome.reason}`);
      gas = margin(d.dry.gasRequired);
    }
    await Promise.all(
      news.map(({ key, ids, first }) => {
        const calls = [call(suite.token, 'approve', [pool2.address, STAKE * BigInt(ids.length)], aGas), ...ids.map((id, i) => call(suite.registry, 'register_and_stake', [providerIdBytes(id), 2, meta(first + i)], gas))];
        const packs = [];
        for (let i = 0; i < calls.length; i += 100) packs.push(calls.slice(i, i + 100));
        return packs.reduce((p, pack) => p.then(() => submit(api, api.tx.utility.batchAll(pack), key, { label: 'register_and_stake' })), Promise.resolve());
      }),
    );
  };
  for (const n of checkpoints) {
    const t0 = Date.now();
    await addProviders(n);
    log(`${n} providers registered and staked in model 2 (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    const runs = [];
    for (let i = 0; i < 5; i += 1) runs.push(await table.refresh(0));
    const active = table.models.get(2).providers.size;
    if (active !== n) throw new Error(`the routing table holds ${active} providers, ${n} expected`);
    const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
    const row = { providers: n, rpc_calls: runs[0].rpcCalls, pages: runs[0].rpcCalls - 2, ms_median: ms[2], ms_min: ms[0], ms_max: ms[4] };
    results.refresh.push(row);
    log(`refresh at ${n} providers: ${row.rpc_calls} contract reads (${row.pages} get_active_providers pages), median ${row.ms_median} ms (min ${row.ms_min}, max ${row.ms_max})`);
  }

  await api.disconnect();
  await node.stop();
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);

  const f = (x) => (x === null ? '—' : x.toFixed(2));
  console.log(`\nGateway overhead (${SECONDS} s per run, loopback, chat completion of the demo provider), ${results.date}\n`);
  console.log('| clients | direct p50 / p99 (ms) | gateway p50 / p99 (ms) | added p50 / p99 (ms) | direct req/s | gateway req/s | gateway CPU ms / request |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results.overhead) {
    const cpu = r.gateway.gateway_cpu_ms_per_request;
    console.log(`| ${r.clients} | ${f(r.direct.p50)} / ${f(r.direct.p99)} | ${f(r.gateway.p50)} / ${f(r.gateway.p99)} | ${f(r.added_p50_ms)} / ${f(r.added_p99_ms)} | ${r.direct.rps.toFixed(0)} | ${r.gateway.rps.toFixed(0)} | ${cpu === null ? '—' : cpu.toFixed(3)} |`);
  }
  console.log('\nRouting table refresh (one model; median of 5)\n');
  console.log('| active providers | contract reads | get_active_providers pages | refresh ms (median, min–max) |');
  console.log('| ---: | ---: | ---: | ---: |');
  for (const r of results.refresh) console.log(`| ${r.providers} | ${r.rpc_calls} | ${r.pages} | ${r.ms_median} (${r.ms_min}–${r.ms_max}) |`);
  console.log(`\nwritten to ${RESULTS}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`gateway-bench failed: ${e?.stack ?? e}`);
    for (const ch of children) ch.kill('SIGKILL');
    (benchNode ? benchNode.stop() : Promise.resolve()).finally(() => process.exit(1));
  },
);
