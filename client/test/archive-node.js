// A substrate-contracts-node --dev with archive state in a folder of its own: history reads any
// block, and the node can be stopped and started again on the same port with the same chain (the
// dapp's reconnect test). Used by client/test/history.test.js and dapp/test/.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnNode } from './helpers.js';

/**
 * A substrate-contracts-node --dev that keeps every block's state (--state-pruning archive, so the
 * history view can read any block) in its own folder, so it can be stopped and started again on
 * the same port with the same chain: `{ url, port, stop, start, log, dir }`.
 */
export async function startArchiveNode({ timeoutMs = 60_000 } = {}) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'func-dapp-node-'));
  const log = join(dir, 'node.log');
  const url = `ws://127.0.0.1:${port}`;
  let node = null;
  const start = async () => {
    node = await spawnNode({ args: ['--base-path', join(dir, 'chain'), '--state-pruning', 'archive'], port, log, timeoutMs });
  };
  const stop = async () => {
    await node?.stop();
  };
  await start();
  return { url, port, dir, log, start, stop, cleanup: async () => { await stop(); rmSync(dir, { recursive: true, force: true }); } };
}
