// Test helpers: a real substrate-contracts-node on a free port, and assertions on refusals.
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { createWriteStream, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { ContractError, bundlePath, CONTRACT_NAMES, defaultArtifactsDir } from '../lib/index.js';

/** The node binary: $CONTRACTS_NODE, else substrate-contracts-node on PATH (or ~/.cargo/bin). */
export function findNode() {
  const env = process.env.CONTRACTS_NODE;
  if (env) {
    if (!existsSync(env)) throw new Error(`CONTRACTS_NODE=${env} does not exist`);
    return env;
  }
  try {
    return execFileSync('sh', ['-c', 'command -v substrate-contracts-node'], { encoding: 'utf8' }).trim();
  } catch {
    const home = join(process.env.CARGO_HOME ?? join(process.env.HOME ?? '', '.cargo'), 'bin', 'substrate-contracts-node');
    if (existsSync(home)) return home;
    throw new Error(
      'substrate-contracts-node not found: set CONTRACTS_NODE or put it on PATH (scripts/setup.sh installs it: cargo install contracts-node --version 0.42.0 --locked)',
    );
  }
}

/** Fails with the build command when a bundle is missing. */
export function requireBundles(dir = defaultArtifactsDir()) {
  const missing = CONTRACT_NAMES.filter((n) => !bundlePath(dir, n));
  if (missing.length) {
    throw new Error(
      `missing .contract bundles in ${dir}: ${missing.join(', ')}. Build each with ` +
        '`cargo contract build --release --manifest-path contracts/<name>/Cargo.toml` (or set FUNC_ARTIFACTS)',
    );
  }
  return dir;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Spawns `substrate-contracts-node --dev` with `args` (its chain flags: `--tmp` or `--base-path`,
 * pruning) on RPC `port`, its output appended to `log`, and resolves once its RPC answers:
 * `{ child, stop, exited }`. `stop()` sends SIGTERM (SIGKILL after 10 s) and waits for the exit.
 * Every test node starts here: plain (`startNode`), archive (`archive-node.js`), restartable on
 * a base path (`reporter.test.js`).
 */
export async function spawnNode({ args, port, log, timeoutMs = 60_000 }) {
  const p2p = await freePort();
  const out = createWriteStream(log, { flags: 'a' });
  const child = spawn(findNode(), ['--dev', ...args, '--rpc-port', String(port), '--port', String(p2p), '--rpc-cors', 'all'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  let exited = null;
  const exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve((exited = { code, signal }))));
  const url = `ws://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`substrate-contracts-node exited (${JSON.stringify(exited)}); see ${log}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 1, jsonrpc: '2.0', method: 'system_health', params: [] }),
      });
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`substrate-contracts-node did not answer on ${url} within ${timeoutMs / 1000}s; see ${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exit;
    clearTimeout(timer);
  };
  return { child, stop, exited: () => exited };
}

/** Starts `substrate-contracts-node --dev --tmp --rpc-port <free>`; resolves `{ url, stop, log }` once RPC answers. */
export async function startNode({ timeoutMs = 60_000 } = {}) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'func-node-'));
  const log = join(dir, 'node.log');
  const node = await spawnNode({ args: ['--tmp'], port, log, timeoutMs });
  return { url: `ws://127.0.0.1:${port}`, stop: node.stop, log, pid: node.child.pid };
}

/** Awaits a refusal and checks its plain-words message. */
export async function refused(promise, pattern) {
  let error = null;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  assert.ok(error, `expected a refusal matching ${pattern}, but the call succeeded`);
  assert.ok(!/ContractReverted/.test(error.message), `bare ContractReverted: ${error.message}`);
  assert.match(error.message, pattern);
  return error;
}

export { ContractError };
