// Offline tests: every contract error variant has plain words; amounts, ids, messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  ERROR_TABLE,
  REPO_ROOT,
  describeError,
  formatFunc,
  parseAmount,
  providerIdBytes,
  showBytes,
  words,
} from '../lib/index.js';

/** `pub enum XError { … }` blocks of a Rust file → { XError: [variants] }. */
function rustErrorEnums(src) {
  const out = {};
  const re = /pub enum (\w*Error)\s*\{/g;
  let m;
  while ((m = re.exec(src))) {
    let depth = 1;
    let i = re.lastIndex;
    const start = i;
    while (depth > 0 && i < src.length) {
      if (src[i] === '{') depth += 1;
      if (src[i] === '}') depth -= 1;
      i += 1;
    }
    const body = src.slice(start, i - 1);
    const variants = [];
    let d = 0;
    for (const raw of body.split('\n')) {
      const line = raw.trim();
      if (d === 0 && !line.startsWith('//') && !line.startsWith('#')) {
        const v = /^([A-Z]\w*)/.exec(line);
        if (v) variants.push(v[1]);
      }
      for (const c of line.replace(/\/\/.*$/, '')) {
        if (c === '{' || c === '(') d += 1;
        if (c === '}' || c === ')') d -= 1;
      }
    }
    out[m[1]] = variants;
  }
  return out;
}

function rustSources() {
  const files = [];
  const dirs = [join(REPO_ROOT, 'crates', 'func_interfaces', 'src')];
  const contracts = join(REPO_ROOT, 'contracts');
  if (existsSync(contracts)) for (const c of readdirSync(contracts)) dirs.push(join(contracts, c, 'src'));
  for (const d of dirs) if (existsSync(d)) for (const f of readdirSync(d)) if (f.endsWith('.rs')) files.push(join(d, f));
  return files;
}

test('every error variant declared in the Rust sources has a sentence', () => {
  const found = {};
  for (const f of rustSources()) Object.assign(found, rustErrorEnums(readFileSync(f, 'utf8')));
  for (const name of ['AccessError', 'RegistryError', 'StakingError', 'RouterError']) {
    assert.ok(found[name], `${name} not found in the Rust sources`);
  }
  const missing = [];
  for (const [type, variants] of Object.entries(found)) {
    for (const v of variants) if (!ERROR_TABLE[type]?.[v]) missing.push(`${type}::${v}`);
  }
  assert.deepEqual(missing, [], `variants without words: ${missing.join(', ')}`);
});

test('PSP22Error (psp22 2.0.0) is covered', () => {
  for (const v of ['Custom', 'InsufficientBalance', 'InsufficientAllowance', 'ZeroRecipientAddress', 'ZeroSenderAddress', 'SafeTransferCheckFailed']) {
    assert.ok(ERROR_TABLE.PSP22Error[v], v);
  }
});

test('sentences: plain, with fields, nested through wrappers', () => {
  assert.equal(describeError('StakingError', { variant: 'StillLocked', value: { unlock_epoch: 42n } }), 'provider is still locked until epoch 42');
  assert.equal(
    describeError('FuncInterfacesRegistryRegistryError', {
      variant: 'Staking',
      value: { variant: 'Token', value: { variant: 'InsufficientAllowance', value: null } },
    }),
    'the staking pool refused: the FUNC token refused the transfer: the allowance is too small: approve the spender (the staking pool) for enough FUNC first',
  );
  assert.equal(
    describeError('RegistryError', { variant: 'Access', value: { variant: 'MissingRole', value: { variant: 'Whitelister', value: null } } }),
    'the caller is neither the owner nor a holder of the whitelister role',
  );
  assert.equal(describeError('StakingError', { variant: 'EpochNotClaimable', value: { last_claimable_epoch: 0n } }), 'those epochs are not claimable yet: no epoch is claimable yet');
  assert.match(describeError('StakingError', { variant: 'AboveHardCap', value: { hard_cap: 5n * 10n ** 18n } }), /hard cap of 5 FUNC/);
  assert.equal(describeError('PSP22Error', { variant: 'Custom', value: 'boom' }), 'token error: boom');
  assert.equal(describeError('RegistryError', 'MetadataMissingUrl'), 'the metadata has no "url" field');
});

test('an unknown variant still reads as words', () => {
  assert.equal(describeError('StakingError', { variant: 'SomeNewThing', value: null }), 'some new thing');
  assert.equal(words('ProviderIdTooLong'), 'provider id too long');
  assert.equal(describeError('RegistryError', { variant: 'Staking', value: { variant: 'BrandNew', value: { x: 1n } } }), 'the staking pool refused: brand new ({ x: 1 })');
});

test('no sentence is a bare variant name or mentions ContractReverted', () => {
  const d = (t, e) => describeError(t, e);
  for (const [type, variants] of Object.entries(ERROR_TABLE)) {
    for (const [v, fn] of Object.entries(variants)) {
      const s = fn(v === 'MissingRole' ? { variant: 'Scheduler', value: null } : ['Access', 'Router', 'Staking', 'Token'].includes(v) ? { variant: 'NotOwner', value: null } : null, d);
      assert.equal(typeof s, 'string');
      assert.ok(s.length > 10, `${type}.${v}: "${s}"`);
      assert.ok(!/ContractReverted/.test(s));
      assert.notEqual(s, v);
    }
  }
});

test('amounts and ids', () => {
  assert.equal(parseAmount('1000'), 1000n * 10n ** 18n);
  assert.equal(parseAmount('0.5'), 5n * 10n ** 17n);
  assert.equal(parseAmount('7', { raw: true }), 7n);
  assert.throws(() => parseAmount('abc'), /not a number of FUNC/);
  assert.equal(formatFunc(1500n * 10n ** 18n), '1,500 FUNC');
  assert.equal(formatFunc(10n ** 17n), '0.1 FUNC');
  assert.deepEqual([...providerIdBytes('ab')], [97, 98]);
  assert.deepEqual([...providerIdBytes('0x0102', { hex: true })], [1, 2]);
  assert.deepEqual([...providerIdBytes('0x0102')], [48, 120, 48, 49, 48, 50]);
  assert.equal(showBytes(new Uint8Array([104, 105])), 'hi');
  assert.equal(showBytes(new Uint8Array([0xff, 0x00])), '0xff00');
});

test('every error variant in the built metadata has a sentence', async (t) => {
  const { defaultArtifactsDir, bundlePath, CONTRACT_NAMES, loadBundles, Abi } = await import('../lib/index.js');
  const dir = defaultArtifactsDir();
  if (CONTRACT_NAMES.some((n) => !bundlePath(dir, n))) {
    t.skip(`bundles not built in ${dir}`);
    return;
  }
  const bundles = loadBundles(dir);
  const missing = [];
  const seen = new Set();
  for (const [name, bundle] of Object.entries(bundles)) {
    const abi = new Abi(bundle);
    for (const { type } of abi.registry.lookup.types) {
      const path = type.path.map((p) => p.toString());
      const typeName = path.at(-1) ?? '';
      if (!/Error$/.test(typeName) || !type.def.isVariant) continue;
      seen.add(typeName);
      for (const v of type.def.asVariant.variants) {
        const variant = v.name.toString();
        if (!ERROR_TABLE[typeName]?.[variant]) missing.push(`${name}: ${typeName}::${variant}`);
      }
    }
  }
  for (const n of ['RegistryError', 'StakingError', 'RouterError', 'AccessError', 'PSP22Error', 'EpochError', 'LangError']) {
    assert.ok(seen.has(n), `${n} not in any bundle's metadata (seen: ${[...seen].join(', ')})`);
  }
  assert.deepEqual(missing, []);
});
