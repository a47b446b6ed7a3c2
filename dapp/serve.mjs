#!/usr/bin/env node
// Serves the static build (dist/) on 127.0.0.1 and, at ./deployment.json, the deployment file the
// page should open (any network's deployments/<network>.json).
//
//   node serve.mjs [--port 8080] [--host 127.0.0.1] [--dist DIR] [--deployment FILE] [--rpc ws://…]
// Prints the page's URL (with ?rpc= when --rpc is given) and keeps serving until stopped.
// Files named by their content hash (app-<hash>.js, chunks/…) are cached for a year; the rest
// is revalidated every time. Brotli or gzip twins (written by build.mjs) go to browsers that take them.
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = dirname(fileURLToPath(import.meta.url));
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

/** Starts the server; resolves `{ url, port, close }`. */
export function serve({ port = 8080, host = '127.0.0.1', dist = join(HERE, 'dist'), deployment = null } = {}) {
  const root = resolve(dist);
  if (!existsSync(join(root, 'index.html'))) throw new Error(`no build in ${root}: run npm run build in dapp/ first`);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file;
    if (path === '/deployment.json') {
      if (!deployment || !existsSync(deployment)) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        return res.end('no deployment file given to the server (--deployment)');
      }
      file = deployment;
    } else {
      file = normalize(join(root, path === '/' ? 'index.html' : path));
      if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        return res.end('not found');
      }
    }
    const headers = {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': file !== deployment && /-[A-Z0-9]{8}\.(js|css)$/.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
      vary: 'accept-encoding',
    };
    const accepts = String(req.headers['accept-encoding'] ?? '');
    let body = file;
    for (const [enc, ext] of [['br', '.br'], ['gzip', '.gz']]) {
      if (file !== deployment && new RegExp(`\\b${enc}\\b`).test(accepts) && existsSync(file + ext)) {
        headers['content-encoding'] = enc;
        body = file + ext;
        break;
      }
    }
    res.writeHead(200, headers);
    return res.end(req.method === 'HEAD' ? undefined : readFileSync(body));
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      const p = server.address().port;
      ok({ url: `http://${host}:${p}/`, port: p, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, host: { type: 'string' }, dist: { type: 'string' }, deployment: { type: 'string' }, rpc: { type: 'string' } },
  });
  const s = await serve({
    port: Number(values.port ?? 8080),
    host: values.host ?? '127.0.0.1',
    dist: values.dist,
    deployment: values.deployment ? resolve(values.deployment) : null,
  });
  console.log(`dapp: ${s.url}${values.rpc ? `?rpc=${encodeURIComponent(values.rpc)}` : ''}`);
}
