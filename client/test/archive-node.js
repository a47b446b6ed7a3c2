// A substrate-contracts-node --dev with archive state in a folder of its own: history reads any
// block, and the node can be stopped and started again on the same port with the same chain (the
// dapp's reconnect test). Used by client/test/history.test.js and dapp/test/.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNode, freePort } from './helpers.js';

/**
 * A substrate-contracts-node --dev that keeps every block's state (--state-pruning archive, so the
 * history view can read any block) in its own folder, so it can be stopped and started again on
 * the same port with the same chain: `{ url, port, stop, start, log, dir }`.
 */
export async function startArchiveNode({ timeoutMs = 60_000 } = {}) {
  const bin = findNode();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'func-dapp-node-'));
  const log = join(dir, 'node.log');
  const url = `ws://127.0.0.1:${port}`;
  let child = null;
  let exited = null;
  const start = async () => {
    const p2p = await freePort();
    const out = createWriteStream(log, { flags: 'a' });
    exited = null;
    child = spawn(bin, ['--dev', '--base-path', join(dir, 'chain'), '--state-pruning', 'archive', '--rpc-port', String(port), '--port', String(p2p), '--rpc-cors', 'all'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    const me = child;
    me.on('exit', (code, signal) => {
      if (child === me) exited = { code, signal };
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (exited) throw new Error(`substrate-contracts-node exited (${JSON.stringify(exited)}); see ${log}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: 1, jsonrpc: '2.0', method: 'system_health', params: [] }),
        });
        if (res.ok) return;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`substrate-contracts-node did not answer on ${url} within ${timeoutMs / 1000}s; see ${log}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const stop = () =>
    new Promise((resolve) => {
      const c = child;
      if (!c || exited) return resolve();
      const timer = setTimeout(() => c.kill('SIGKILL'), 5_000);
      c.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      c.kill('SIGTERM');
    });
  await start();
  return { url, port, dir, log, start, stop, cleanup: async () => { await stop(); rmSync(dir, { recursive: true, force: true }); } };
}
