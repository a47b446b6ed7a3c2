// Offline checks of the dapp's sources and build: one chain-access layer (no message names or
// error sentences of the contracts copied into the page), a static build that loads nothing but
// its own files and the node's websocket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Abi, CONTRACT_NAMES, ERROR_TABLE, describeError, loadBundles } from '../../client/lib/index.js';
import { requireBundles } from '../../client/test/helpers.js';
import { DAPP, buildDapp, serve } from './harness.js';

function sources(dir = join(DAPP, 'src')) {
  const out = [];
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(js|html)$/.test(f)) out.push({ path: p, text: readFileSync(p, 'utf8') });
  }
  return out;
}

test('the page names no contract message: every call goes through client/lib', () => {
  const bundles = loadBundles(requireBundles());
  const labels = new Set();
  for (const b of Object.values(bundles)) {
    for (const m of new Abi(b).messages) {
      const short = m.identifier.split('::').pop();
      // plain words such as "register" or "pause" are UI text too; getters named after a
      // contract (router.provider_registry(), …) share the name the page uses for the contract
      if (short.includes('_') && !CONTRACT_NAMES.includes(short)) labels.add(short);
    }
  }
  assert.ok(labels.size > 20);
  const hits = [];
  for (const { path, text } of sources()) {
    for (const l of labels) if (new RegExp(`['"\`]${l}['"\`(]`).test(text)) hits.push(`${path}: ${l}`);
  }
  assert.deepEqual(hits, []);
});

test('the page copies no error sentence of client/lib/errors.js', () => {
  const sentences = [];
  for (const [type, variants] of Object.entries(ERROR_TABLE)) {
    for (const [variant, fn] of Object.entries(variants)) {
      if (fn.length === 0) sentences.push(describeError(type, variant));
    }
  }
  const hits = [];
  for (const { path, text } of sources()) for (const s of sentences) if (s.length > 20 && text.includes(s)) hits.push(`${path}: ${s}`);
  assert.deepEqual(hits, []);
});

let out;

test('static build: relative assets only, a CSP that allows only this origin and websockets', () => {
  out = buildDapp(join(mkdtempSync(join(tmpdir(), 'func-dapp-build-')), 'dist'));
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  for (const [, url] of html.matchAll(/(?:src|href)="([^"]+)"/g)) assert.match(url, /^(\.\/|#)/, `${url} is not a relative asset`);
  assert.match(html, /default-src 'self'; connect-src 'self' ws: wss:/);
  const files = readdirSync(out);
  for (const f of ['index.html', 'favicon.svg']) assert.ok(files.includes(f), f);
  assert.ok(files.some((f) => /^app-[A-Z0-9]{8}\.js$/.test(f)), 'the script is named by its content hash');
  assert.ok(files.some((f) => /^app-[A-Z0-9]{8}\.css$/.test(f)), 'the styles are named by their content hash');
  assert.ok(readdirSync(join(out, 'chunks')).some((f) => /^admin-[A-Z0-9]{8}\.js$/.test(f)), 'the admin view is a chunk of its own');
  assert.match(html, /rel="icon" href="\.\/favicon\.svg"/);
  const abis = readdirSync(join(out, 'abi')).filter((f) => f.endsWith('.json'));
  assert.equal(abis.length, 5);
  for (const f of abis) {
    const j = JSON.parse(readFileSync(join(out, 'abi', f), 'utf8'));
    assert.equal(j.source.wasm, undefined, 'ABIs ship without their Wasm');
    assert.match(j.source.hash, /^0x[0-9a-f]{64}$/);
  }
});

test('the server compresses, caches hashed files for good and revalidates the rest', async () => {
  const srv = await serve({ port: 0, dist: out });
  try {
    const html = await (await fetch(srv.url)).text();
    const js = /src="\.\/(app-[A-Z0-9]{8}\.js)"/.exec(html)[1];
    const index = await fetch(srv.url, { headers: { 'accept-encoding': 'br' } });
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    for (const enc of ['br', 'gzip']) {
      const r = await fetch(`${srv.url}${js}`, { headers: { 'accept-encoding': enc } });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-encoding'), enc);
      assert.equal(r.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      const body = Buffer.from(await r.arrayBuffer()); // fetch decodes: the body is the script again
      assert.equal(body.length, statSync(join(out, js)).size);
    }
    const plainJs = await fetch(`${srv.url}${js}`, { headers: { 'accept-encoding': 'identity' } });
    assert.equal(plainJs.headers.get('content-encoding'), null);
    const br = statSync(join(out, `${js}.br`)).size;
    const raw = statSync(join(out, js)).size;
    assert.ok(br < raw / 3, `brotli ${br} B of ${raw} B`);
    console.error(`app script: ${raw} B, ${br} B with brotli, ${statSync(join(out, `${js}.gz`)).size} B with gzip`);
    assert.equal((await fetch(`${srv.url}favicon.svg`)).status, 200);
  } finally {
    await srv.close();
  }
});
