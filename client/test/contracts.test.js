// Offline: the one list of the five contracts (client/lib/contracts.js) as the client and the
// shell scripts (scripts/lib.sh, which reads the same file with sed) see it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ADDRESSED_CONTRACTS, CONTRACT_NAMES, POOL_CONTRACT, REPO_ROOT } from '../lib/index.js';

test('CONTRACT_NAMES: five contracts, each a folder under contracts/, in deployment order', () => {
  assert.equal(CONTRACT_NAMES.length, 5);
  for (const name of CONTRACT_NAMES) assert.ok(existsSync(join(REPO_ROOT, 'contracts', name, 'Cargo.toml')), `contracts/${name}/Cargo.toml`);
  const at = (name) => CONTRACT_NAMES.indexOf(name);
  // the router needs the token, the epoch controller and the pool's code hash; the registry needs the router
  for (const before of ['func_token', 'epoch_controller', POOL_CONTRACT]) assert.ok(at(before) < at('model_router'), `${before} before model_router`);
  assert.ok(at('model_router') < at('provider_registry'));
  assert.deepEqual(ADDRESSED_CONTRACTS, CONTRACT_NAMES.filter((n) => n !== POOL_CONTRACT));
});

test('scripts/lib.sh reads the same list, in the same order', () => {
  const r = spawnSync('bash', ['-c', 'source scripts/lib.sh && printf "%s\\n" "${CONTRACTS[@]}"'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), [...CONTRACT_NAMES]);
});
