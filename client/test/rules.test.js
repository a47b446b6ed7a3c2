// Offline: the registration rules the dapp checks as the user types mirror the contracts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, describeError } from '../lib/index.js';
import { LIMITS, checkMetadata, checkProviderId, checkRegistration } from '../lib/rules.js';
import { argKind, parseField } from '../lib/args.js';
import { aboutDuration, blocksUntilEpoch, deriveStatus, lockStatus, rewardState, shareOf } from '../lib/view.js';

test('LIMITS: the bounds of limits.rs the page adds equal the Rust constants', () => {
  const src = readFileSync(join(REPO_ROOT, 'crates', 'func_interfaces', 'src', 'limits.rs'), 'utf8');
  for (const name of ['MAX_PROVIDERS_PER_OWNER', 'MAX_PAGE_SIZE', 'MAX_BOOST_EPOCHS', 'MAX_PROVIDER_ID_LEN', 'MAX_METADATA_LEN', 'MAX_BATCH_SIZE']) {
    const m = new RegExp(`pub const ${name}: \\w+ = ([\\d_]+);`).exec(src);
    assert.ok(m, `${name} is not in limits.rs`);
    assert.equal(Number(m[1].replace(/_/g, '')), LIMITS[name], name);
  }
});

test('ids and metadata are checked in the contract words', () => {
  assert.deepEqual(checkProviderId('').map((p) => p.variant), ['EmptyProviderId']);
  assert.deepEqual(checkProviderId('x'.repeat(LIMITS.MAX_PROVIDER_ID_LEN)), []);
  assert.deepEqual(checkProviderId('é'.repeat(33)).map((p) => p.variant), ['ProviderIdTooLong']); // 66 bytes
  assert.equal(checkProviderId('bob-gpu-1').length, 0);
  assert.equal(checkProviderId('x'.repeat(65))[0].text, describeError('RegistryError', 'ProviderIdTooLong'));
  assert.deepEqual(checkMetadata('{}').map((p) => p.variant), ['MetadataMissingUrl']);
  assert.deepEqual(checkMetadata('[1]').map((p) => p.variant), ['MetadataNotJson']);
  assert.deepEqual(checkMetadata('{"url":"https://a","name":3}').map((p) => p.variant), ['MetadataNameNotString']);
  assert.deepEqual(checkMetadata(JSON.stringify({ url: 'https://a', name: 'x'.repeat(1100) })).map((p) => p.variant), ['MetadataTooLong']);
  assert.deepEqual(checkMetadata('{"url":"https://user:pw@a"}').map((p) => p.field), ['url']);
  const r = checkRegistration({ id: 'peer', url: 'ftp://x', name: '' });
  assert.equal(r.metadata, '{"url":"ftp://x"}');
  assert.deepEqual(r.problems.map((p) => [p.field, p.text]), [['url', describeError('RegistryError', 'MetadataInvalidUrl')]]);
});

test('status of the five conditions, pure', () => {
  const info = { whitelisted: true, jailed_until: 0, deactivated: false };
  assert.deepEqual(deriveStatus({ info, staked: 10n, required: 10n, model_enabled: true, current_epoch: 3 }), { active: true, problems: [] });
  const s = deriveStatus({ info: { whitelisted: false, jailed_until: 7, deactivated: true }, staked: 0n, required: 10n, model_enabled: false, current_epoch: 3 });
  assert.deepEqual(s.problems.map((p) => p.condition), ['stake', 'whitelisted', 'jailed', 'deactivated', 'model']);
  assert.match(s.problems[2].text, /jailed until epoch 7/);
  assert.equal(deriveStatus({ info: { ...info, jailed_until: 3 }, staked: 1n, required: 1n, model_enabled: true, current_epoch: 3 }).active, true);
});

test('epoch arithmetic and reward states, pure', () => {
  const clock = { block: 12, current_epoch: 3, next_epoch_block: 15, epoch_length: 5, min_epochs_locked: 2 };
  assert.equal(blocksUntilEpoch(clock, 3), 0);
  assert.equal(blocksUntilEpoch(clock, 4), 3);
  assert.equal(blocksUntilEpoch(clock, 6), 13);
  assert.deepEqual(lockStatus({ amount: 5n, last_stake_epoch: 2 }, clock), { staked: true, last_stake_epoch: 2, unlock_epoch: 4, unlocked: false });
  assert.equal(lockStatus({ amount: 5n, last_stake_epoch: 1 }, clock).unlocked, true);
  assert.equal(lockStatus(null, clock).staked, false);
  const at = { claimed_through: 2, last_claimable_epoch: 4, current_epoch: 7 };
  assert.equal(rewardState(2, { ...at, reported: true }), 'claimed');
  // With the pool's frontier as last_claimable_epoch, an unreported epoch at or before it was
  // closed as empty or had no stake; after it, it is still to be reported.
  assert.equal(rewardState(3, { ...at, reported: false }), 'final_empty');
  assert.equal(rewardState(5, { ...at, reported: false }), 'not_reported');
  assert.equal(rewardState(4, { ...at, reported: true }), 'claimable');
  assert.equal(rewardState(5, { ...at, reported: true }), 'correction_window');
  assert.equal(rewardState(7, { ...at, reported: false }), 'in_progress');
  assert.equal(shareOf(100n, 10n, 6n, 10n), 66n);
  assert.equal(shareOf(100n, 0n, 1n, 0n), 0n);
  assert.equal(aboutDuration(30_000), 'about 30 seconds');
  assert.equal(aboutDuration(600_000), 'about 10 minutes');
  assert.equal(aboutDuration(null), null);
});

test('ABI argument kinds and parsing', () => {
  assert.equal(argKind({ type: 'Bytes', displayName: 'ProviderId' }).kind, 'bytes');
  assert.equal(argKind({ type: 'u128', displayName: 'Balance' }).kind, 'amount');
  assert.equal(argKind({ type: 'AccountId' }).kind, 'account');
  assert.equal(argKind({ type: 'u32' }).kind, 'int');
  assert.deepEqual(argKind({ type: '{"_enum":…}', info: 4, sub: [{ name: 'A', type: 'Null' }, { name: 'B', type: 'Null' }] }), { kind: 'enum', options: ['A', 'B'] });
  assert.equal(argKind({ type: 'Vec<Bytes>', info: 19, sub: { type: 'Bytes', displayName: 'ProviderId' } }).kind, 'bytes-list');
  assert.equal(parseField({ name: 'a', kind: 'amount' }, '1.5'), 1_500_000_000_000_000_000n);
  assert.deepEqual(parseField({ name: 'ids', kind: 'bytes-list' }, 'a, b').length, 2);
  assert.throws(() => parseField({ name: 'n', kind: 'int' }, 'x'), /whole number/);
  assert.throws(() => parseField({ name: 'who', kind: 'account' }, 'nope'), /not an SS58 address/);
});
