// Offline tests of client/lib/validate.js: the same answers as the contract on the shared table
// (which the Rust tests run too), the rule compared with Node's WHATWG URL parser and
// JSON.parse on random inputs, and refusal before anything is sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, describeError, ops, validate } from '../lib/index.js';

const { BOUNDS, FORMAT_CHARACTERS, checkMetadata, checkProviderId, readMetadata, isControlOrFormat } = validate;
const table = JSON.parse(readFileSync(join(REPO_ROOT, 'client', 'test', 'fixtures', 'registry-inputs.json'), 'utf8'));

test('the shared table: metadata gets the contract answer', () => {
  assert.ok(table.metadata.length > 50);
  const wrong = table.metadata
    .map(([input, expected]) => [input, expected, checkMetadata(input) ?? 'Ok'])
    .filter(([, expected, got]) => expected !== got);
  assert.deepEqual(wrong, []);
});

test('the shared table: provider ids get the contract answer', () => {
  assert.ok(table.ids.length > 20);
  const wrong = table.ids
    .map(([input, expected]) => [input, expected, checkProviderId(input) ?? 'Ok'])
    .filter(([, expected, got]) => expected !== got);
  assert.deepEqual(wrong, []);
  assert.equal(checkProviderId(new Uint8Array([0x70, 0xff])), 'ProviderIdInvalidCharacter');
});

test('bounds match crates/func_interfaces/src/limits.rs and metadata.rs', () => {
  const limits = readFileSync(join(REPO_ROOT, 'crates', 'func_interfaces', 'src', 'limits.rs'), 'utf8');
  const metadata = readFileSync(join(REPO_ROOT, 'contracts', 'provider_registry', 'src', 'metadata.rs'), 'utf8');
  const rust = (src, name) => Number(new RegExp(`pub const ${name}: \\w+ = ([0-9_]+);`).exec(src)?.[1].replaceAll('_', ''));
  for (const name of ['MAX_PROVIDER_ID_LEN', 'MAX_METADATA_LEN', 'MAX_MODEL_NAME_LEN', 'MAX_BATCH_SIZE', 'MAX_JAIL_EPOCHS', 'MAX_BOOST_EPOCHS']) {
    assert.equal(BOUNDS[name], rust(limits, name), name);
  }
  for (const name of ['MAX_DEPTH', 'MAX_NUMBER_EXPONENT', 'MAX_HOST_LEN', 'MAX_LABEL_LEN']) {
    assert.equal(BOUNDS[name], rust(metadata, name), name);
  }
  const table = [...metadata.matchAll(/\('\\u\{([0-9a-f]+)\}', '\\u\{([0-9a-f]+)\}'\)/g)].map((m) => [parseInt(m[1], 16), parseInt(m[2], 16)]);
  assert.deepEqual(table, FORMAT_CHARACTERS.map((r) => [...r]));
});

test('Cc and Cf as Node knows them', () => {
  for (let cp = 0; cp < 0x110000; cp += 1) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const expected = /[\p{Cc}\p{Cf}]/u.test(String.fromCodePoint(cp));
    if (isControlOrFormat(cp) !== expected) assert.fail(`U+${cp.toString(16)}`);
  }
});

// --- random inputs against Node's own readers ---------------------------------------------

function rng(seed) {
  let s = BigInt(seed) * 0x9e3779b97f4a7c15n | 1n;
  const mask = (1n << 64n) - 1n;
  return (n) => {
    s ^= s >> 12n;
    s = (s ^ (s << 25n)) & mask;
    s ^= s >> 27n;
    return Number(((s * 0x2545f4914f6cdd1dn) & mask) % BigInt(n));
  };
}

const HOSTS = ['localhost', 'node.example.com', 'A.B', '10.0.0.7', '1.2.3', '256.1.1.1', '01.1.1.1', '0x7f.1', '[::1]', '[::1', '[1::2::3]', '[::ffff:1.2.3.4]', '', 'xn--a.b', 'a..b', 'a_b', 'bücher.de', 'a\u200bb', '-a', 'a-', 'user@h', ':@h', 'h:', 'h:0', 'h:65535', 'h:65536', 'h:080', 'a b', 'a%2eb', 'ex.123'];
const PATHS = ['', '/', '/v1', '/a/b', '/.', '/..', '/%2e', '/%2E%2e/x', '/%41', '/%zz', '/a b', '/ü', '/\\', '/a@b', "/!$&'()*+,;=:~", '/{', '/|', '?q=1', "?q='x'", '?a?b', '#f', '#a#b', '#/?x', '/x?y#z', '\t', '/\u202e'];
const SCHEMES = ['https://', 'http://', 'https://', 'http://', 'HTTPS://', 'ftp://', 'https:/', ''];
const NUMBERS = ['0', '-0', '1', '1.5', '1e307', '9.99e307', '1e308', '1e400', '-2e308', '1e-400', '0e999', '01', '1.', '.5', '123456789012345678901234567890'];
const NAMES = ['gpu', '', 'caf\u00e9', '\u200b', 'a\u202eb', '\u0000', '节点 🚀', '\u00ad', 'x\ufeff'];

function randomMetadata(r) {
  const pick = (xs) => xs[r(xs.length)];
  // mostly valid parts, so that both answers are exercised
  const host = r(2) === 0 ? pick(['node.example.com', 'localhost', '10.0.0.7', '[::1]', 'A.B', 'h:8080']) : pick(HOSTS);
  const path = r(2) === 0 ? pick(['', '/', '/v1', '/a/b?x=1#f', "?q='x'"]) : pick(PATHS);
  const url = (r(4) === 0 ? pick(SCHEMES) : 'https://') + host + path + (r(4) === 0 ? pick(PATHS) : '');
  const fields = [`"url":${JSON.stringify(url)}`];
  if (r(2) === 0) fields.push(`"name":${r(10) === 0 ? pick(NUMBERS) : JSON.stringify(pick(NAMES))}`);
  if (r(2) === 0) fields.push(`"n":${pick(NUMBERS)}`);
  if (r(20) === 0) fields.push(`"url":"https://dup"`);
  if (r(2) === 0) fields.reverse();
  let text = `{${fields.join(',')}}`;
  if (r(10) === 0) {
    const at = r(text.length);
    text = text.slice(0, at) + pick(['{', '}', ',', '"', '\\', ' ', ':']) + text.slice(at + 1);
  }
  return text;
}

test('random metadata: accepted only when JSON.parse and WHATWG URL read the same url and name', () => {
  const r = rng(11);
  let accepted = 0;
  const cases = 20_000;
  for (let k = 0; k < cases; k += 1) {
    const metadata = randomMetadata(r);
    const read = readMetadata(metadata);
    if (read.error !== null) continue;
    accepted += 1;
    const value = JSON.parse(metadata);
    assert.equal(value.url, read.url, metadata);
    assert.equal(value.name ?? null, read.name, metadata);
    for (const v of Object.values(value)) if (typeof v === 'number') assert.ok(Number.isFinite(v), metadata);
    const url = new URL(read.url);
    assert.ok(['http:', 'https:'].includes(url.protocol), metadata);
    assert.equal(url.username, '', metadata);
    assert.equal(url.password, '', metadata);
    assert.ok(url.hostname.length > 0, metadata);
    assert.equal(url.hostname.toLowerCase(), url.hostname, metadata);
    if (!read.url.includes('[')) assert.equal(url.hostname, new URL(read.url.toLowerCase()).hostname, metadata);
  }
  assert.ok(accepted > cases / 10, `only ${accepted} accepted`);
});

// --- refusing before sending ----------------------------------------------------------------

/** A suite whose every transaction or query fails the test: nothing may be sent. */
function offlineSuite() {
  const never = () => {
    throw new Error('sent to the chain');
  };
  const handle = { name: 'contract', tx: never, query: never, tryQuery: never };
  return { registry: handle, router: handle, token: handle, epoch: handle, pool: never, signer: { address: 'x' } };
}

const refusedWith = (errorType, variant) => (e) => {
  assert.equal(e.name, 'ContractError');
  assert.equal(e.local, true);
  assert.equal(e.errorType, errorType);
  assert.equal(e.error.variant, variant);
  assert.equal(e.message, `${e.contract}.${e.messageName} refused: ${describeError(errorType, variant)}`);
  return true;
};

test('register, register_and_stake and update_metadata refuse before sending', async () => {
  const suite = offlineSuite();
  const good = '{"url":"https://node.example.com"}';
  const beyondBuffer = `{"url":"https://a","pad":"${'x'.repeat(BOUNDS.INK_BUFFER + 1)}"}`;
  await assert.rejects(ops.register(suite, 'p1', 1, beyondBuffer), refusedWith('RegistryError', 'MetadataTooLong'));
  await assert.rejects(ops.registerAndStake(suite, 'p1', 1, beyondBuffer), refusedWith('RegistryError', 'MetadataTooLong'));
  await assert.rejects(ops.updateMetadata(suite, 'p1', beyondBuffer), refusedWith('RegistryError', 'MetadataTooLong'));
  await assert.rejects(ops.register(suite, 'x'.repeat(BOUNDS.INK_BUFFER + 1), 1, good), refusedWith('RegistryError', 'ProviderIdTooLong'));
  await assert.rejects(ops.register(suite, '', 1, good), refusedWith('RegistryError', 'EmptyProviderId'));
  await assert.rejects(ops.register(suite, 'peer id', 1, good), refusedWith('RegistryError', 'ProviderIdInvalidCharacter'));
  await assert.rejects(
    ops.register(suite, 'k51qzi5uqu5dhnwe629wdlncpql6frppdpwnz4wtlcw816aysd5wwlk63g4wmh', 1, good),
    refusedWith('RegistryError', 'ProviderIdNotCanonical'),
  );
  await assert.rejects(ops.register(suite, '0xff', 1, good, { hex: true }), refusedWith('RegistryError', 'ProviderIdInvalidCharacter'));
  for (const [metadata, variant] of [
    ['{"url":"https://user:pw@host/"}', 'MetadataUrlCredentials'],
    ['{"url":"https://a.example","n":1e400}', 'MetadataNumberOutOfRange'],
    ['{"url":"https://host:65536/"}', 'MetadataUrlInvalidPort'],
    ['{"url":"https://[::1"}', 'MetadataUrlInvalidHost'],
  ]) {
    await assert.rejects(ops.register(suite, 'p1', 1, metadata), refusedWith('RegistryError', variant));
    await assert.rejects(ops.updateMetadata(suite, 'p1', metadata), refusedWith('RegistryError', variant));
  }
  // buildMetadata output from a URL and a name goes through the same rule
  const built = ops.buildMetadata({ url: 'https://node.example.com:8443/v1', name: 'gpu\u200b' });
  await assert.rejects(ops.register(suite, 'p1', 1, built), refusedWith('RegistryError', 'MetadataControlCharacter'));
});

test('other documented bounds are refused before sending', async () => {
  const suite = offlineSuite();
  await assert.rejects(ops.whitelist(suite, []), refusedWith('RegistryError', 'InvalidBatchSize'));
  await assert.rejects(ops.whitelist(suite, [], { remove: true }), refusedWith('RegistryError', 'InvalidBatchSize'));
  await assert.rejects(ops.jail(suite, 'p1', 0), refusedWith('RegistryError', 'JailEpochsOutOfBounds'));
  await assert.rejects(ops.jail(suite, 'p1', BOUNDS.MAX_JAIL_EPOCHS + 1), refusedWith('RegistryError', 'JailEpochsOutOfBounds'));
  const model = { modelId: 9, name: 'm', shards: 1, computeUnits: 1, stakeAmount: 1n };
  await assert.rejects(ops.createModel(suite, { ...model, name: '' }), refusedWith('RouterError', 'InvalidModelName'));
  await assert.rejects(ops.createModel(suite, { ...model, name: 'n'.repeat(65) }), refusedWith('RouterError', 'InvalidModelName'));
  await assert.rejects(ops.createModel(suite, { ...model, stakeAmount: 0n }), refusedWith('RouterError', 'ZeroStakeAmount'));
  await assert.rejects(ops.fundRewards(suite, 1, 0n), refusedWith('StakingError', 'ZeroAmount'));
  await assert.rejects(ops.withdrawUnreserved(suite, 1, 'x', 0n), refusedWith('StakingError', 'ZeroAmount'));
  await assert.rejects(ops.withdrawExcess(suite, 1, 'x', 0n), refusedWith('StakingError', 'ZeroAmount'));
  for (const [epochs, amount] of [[0, 100n], [BOUNDS.MAX_BOOST_EPOCHS + 1, 1010n], [3, 100n], [2, 0n]]) {
    await assert.rejects(ops.boostRewards(suite, 1, epochs, amount), refusedWith('StakingError', 'InvalidBoost'));
  }
});
