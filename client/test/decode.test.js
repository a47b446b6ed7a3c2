// Offline: message lookup and decoding of Result<Result<T, E>, LangError> on a small ink! 5 ABI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hexToU8a } from '@polkadot/util';
import { Abi, bytesAsHex, decodeOutcome, resolveMessage, returnShape } from '../lib/index.js';

const abi = new Abi(JSON.parse(readFileSync(new URL('./fixtures/mini.contract.json', import.meta.url), 'utf8')));
const dry = (hex, revert = true) => ({
  result: { isErr: false, asOk: { flags: { bits: revert ? 1 : 0 }, data: { toU8a: () => hexToU8a(hex) } } },
  debugMessage: '',
});

test('messages resolve by label, camelCase and short name', () => {
  assert.equal(resolveMessage(abi, 'claim_rewards').identifier, 'claim_rewards');
  assert.equal(resolveMessage(abi, 'claimRewards').identifier, 'claim_rewards');
  assert.equal(resolveMessage(abi, 'balance_of').identifier, 'PSP22::balance_of');
  assert.equal(resolveMessage(abi, 'psp22::balanceOf').identifier, 'PSP22::balance_of');
  assert.equal(resolveMessage(abi, 'PSP22::approve').identifier, 'PSP22::approve');
  assert.throws(() => resolveMessage(abi, 'nope'), /has no message "nope"/);
});

test('return shapes name the error type', () => {
  assert.deepEqual(returnShape(abi, resolveMessage(abi, 'claim_rewards')), { inner: true, errorType: 'StakingError' });
  assert.deepEqual(returnShape(abi, resolveMessage(abi, 'balance_of')), { inner: false, errorType: null });
});

test('Ok(Err(StillLocked { unlock_epoch: 42 })) reads as words', () => {
  const m = resolveMessage(abi, 'claim_rewards');
  const o = decodeOutcome(abi, m, dry('0x0001002a000000'));
  assert.equal(o.ok, false);
  assert.equal(o.errorType, 'StakingError');
  assert.deepEqual(o.error, { variant: 'StillLocked', value: { unlock_epoch: 42n } });
  assert.equal(o.reason, 'provider is still locked until epoch 42');
});

test('nested token error with a string', () => {
  const m = resolveMessage(abi, 'claim_rewards');
  const o = decodeOutcome(abi, m, dry('0x00010100' + '10' + '626f6f6d'));
  assert.equal(o.reason, 'the FUNC token refused the transfer: token error: boom');
});

test('Ok(Ok(v)) and plain values', () => {
  const m = resolveMessage(abi, 'claim_rewards');
  const o = decodeOutcome(abi, m, dry('0x0000' + '0a000000000000000000000000000000', false));
  assert.deepEqual(o, { ok: true, value: 10n });
  const b = decodeOutcome(abi, resolveMessage(abi, 'balance_of'), dry('0x00' + '05000000000000000000000000000000', false));
  assert.deepEqual(b, { ok: true, value: 5n });
});

test('LangError and traps', () => {
  const m = resolveMessage(abi, 'claim_rewards');
  const o = decodeOutcome(abi, m, dry('0x0101'));
  assert.equal(o.errorType, 'LangError');
  assert.match(o.reason, /did not understand the call/);
  const junk = decodeOutcome(abi, m, dry('0x07'));
  assert.equal(junk.ok, false);
  assert.match(junk.reason, /cannot decode/);
});

test('arguments encode (ids as bytes)', () => {
  const m = resolveMessage(abi, 'claim_rewards');
  const data = m.toU8a(bytesAsHex([new TextEncoder().encode('ab'), 3]));
  // compact length, selector, compact(2) 'a' 'b', u32 3
  assert.equal(Buffer.from(data).toString('hex'), '2c00000001086162' + '03000000');
});
