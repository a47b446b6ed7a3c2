// The gateway's HTTP side: requests in, forwarded to a chosen provider with undici, the answer
// streamed back; retries, passive failure detection, health checks, bounds on size and time.
import { createServer } from 'node:http';
import { Agent } from 'undici';
import { guardedLookup } from './addresses.js';
import { DEFAULT_POLICY } from './providers.js';

export const DEFAULT_LIMITS = {
  maxRequestBytes: 4 * 1024 * 1024, // a request body above this is refused (413)
  maxResponseBytes: 64 * 1024 * 1024, // a provider answer above this is cut off (and counts as a failure)
  connectTimeoutMs: 5_000,
  headersTimeoutMs: 120_000, // to the provider's response headers (a non-streaming completion can take long)
  bodyTimeoutMs: 60_000, // longest silence between two chunks of a response
  requestTimeoutMs: 600_000, // a whole request, retries included
  clientTimeoutMs: 60_000, // to receive a client's request body
  maxAttempts: 3, // providers tried for one request
  healthIntervalMs: 10_000,
  healthTimeoutMs: 5_000,
  healthPath: '/v1/models',
};

// Hop-by-hop headers (RFC 9110 §7.6.1) and what must never reach a provider or come back.
const HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'];
const REQUEST_DROP = new Set([...HOP, 'host', 'content-length', 'expect', 'authorization', 'cookie']);
const RESPONSE_DROP = new Set([...HOP, 'set-cookie']);
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const ALLOWED = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']);
// Failures where the provider never received the request: safe to send any request elsewhere.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EFUNCREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ECONNABORTED']);
const OPENAI_ROUTES = new Set(['/v1/chat/completions', '/v1/completions', '/v1/embeddings']);

/** Headers of `incoming` without hop-by-hop ones, those `Connection` names, and those in `drop`. */
export function filterHeaders(incoming, drop) {
  const named = new Set(
    String(incoming.connection ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
  const out = {};
  for (const [k, v] of Object.entries(incoming)) {
    const key = k.toLowerCase();
    if (drop.has(key) || named.has(key) || v === undefined) continue;
    out[key] = v;
  }
  return out;
}

class HttpError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const DISCARD_BYTES = 16 * 1024 * 1024; // read (and drop) this much of a refused body so the client sees the 413

/**
 * After a refusal, reads and drops the rest of a request body (at most DISCARD_BYTES, within
 * `timeoutMs`) so that the client, still uploading, gets to read the answer on a connection
 * that stays open (closing it while the client writes would reset it before it reads).
 */
function discardRest(req, timeoutMs) {
  let dropped = 0;
  const timer = setTimeout(() => req.destroy(), timeoutMs);
  timer.unref();
  req.removeAllListeners('data');
  req.on('data', (c) => {
    dropped += c.length;
    if (dropped > DISCARD_BYTES) req.destroy();
  });
  req.on('end', () => clearTimeout(timer));
  req.on('close', () => clearTimeout(timer));
  req.resume();
}

/** Reads a request body up to `max` bytes (413 above), within `timeoutMs`. */
function readBody(req, max, timeoutMs) {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    discardRest(req, timeoutMs);
    return Promise.reject(new HttpError(413, `the request body is ${declared} bytes; this gateway accepts at most ${max}`, 'request_too_large'));
  }
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    const timer = setTimeout(() => {
      reject(new HttpError(408, `the request body did not arrive within ${timeoutMs / 1000}s`, 'request_timeout'));
      req.destroy();
    }, timeoutMs);
    req.on('data', (c) => {
      size += c.length;
      if (size > max) {
        clearTimeout(timer);
        discardRest(req, timeoutMs);
        reject(new HttpError(413, `the request body is over ${max} bytes, the most this gateway accepts`, 'request_too_large'));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      clearTimeout(timer);
      resolve(chunks.length ? Buffer.concat(chunks) : null);
    });
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(new HttpError(400, `reading the request failed: ${e.message}`, 'bad_request'));
    });
  });
}

function sendError(res, status, message, code, extra = {}) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: { message, type: 'func_gateway_error', code, ...extra } });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** What kind of failure an upstream error is, and whether the request can have reached the provider. */
export function classifyError(e) {
  const code = e?.code ?? e?.cause?.code;
  if (NOT_SENT.has(code)) return { kind: code === 'EFUNCREFUSED' ? 'refused_address' : code === 'UND_ERR_CONNECT_TIMEOUT' ? 'connect_timeout' : 'connect', notSent: true, code };
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'FUNC_REQUEST_TIMEOUT' || e?.name === 'TimeoutError') return { kind: 'timeout', notSent: false, code };
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return { kind: 'reset', notSent: false, code };
  return { kind: 'error', notSent: false, code };
}

/**
 * Copies a provider's answer to the client with backpressure, at most `max` bytes; resolves
 * with the byte count once the client has it all, rejects (`e.bytes`, `e.tooLarge`) when the
 * answer breaks, grows too large or the client goes away. (A plain listener pair: cheaper per
 * request than stream.pipeline with a counting Transform.)
 */
function relay(body, res, max) {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    let done = false;
    const fail = (e) => {
      if (done) return;
      done = true;
      e.bytes = bytes;
      body.destroy();
      reject(e);
    };
    body.on('data', (chunk) => {
      bytes += chunk.length;
      if (bytes > max) {
        const e = new Error(`the answer is over ${max} bytes`);
        e.tooLarge = true;
        fail(e);
        return;
      }
      if (!res.write(chunk)) body.pause();
    });
    res.on('drain', () => body.resume());
    body.on('end', () => {
      if (done) return;
      res.end(() => {
        if (done) return;
        done = true;
        resolve(bytes);
      });
    });
    body.on('error', fail);
    res.on('close', () => {
      if (!done && !res.writableFinished) fail(Object.assign(new Error('the client closed the connection'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    });
  });
}

/** Joins the provider's base URL (which may have a path) with the request path and query. */
export function upstreamPath(base, path, search) {
  const prefix = base.pathname.replace(/\/+$/, '');
  const rest = path.startsWith('/') ? path : `/${path}`;
  return `${prefix}${rest}${search ?? ''}`;
}

/**
 * The gateway's HTTP server. `ctx`: `{ table, usage, metrics, log, limits, policy, allowPrivate,
 * health(): object, logRequests }`.
 */
export function createGatewayServer(ctx) {
  const limits = { ...DEFAULT_LIMITS, ...(ctx.limits ?? {}) };
  const policy = { ...DEFAULT_POLICY, ...(ctx.policy ?? {}) };
  const { table, usage, metrics, log } = ctx;
  const agent = new Agent({
    connect: { timeout: limits.connectTimeoutMs, lookup: guardedLookup({ allowPrivate: ctx.allowPrivate }) },
    headersTimeout: limits.headersTimeoutMs,
    bodyTimeout: limits.bodyTimeoutMs,
    keepAliveTimeout: 10_000,
  });
  let inflight = 0;

  const suspendLog = (p, s, why) => {
    metrics.suspensions.inc({ model: String(p.modelId), provider: p.id });
    metrics.suspended.set({ model: String(p.modelId), provider: p.id }, 1);
    log(`suspended provider ${p.id} (model ${p.modelId}) for ${(s.ms / 1000).toFixed(1)}s (suspension ${p.suspensions}): ${why}`);
  };

  const failed = (p, kind, { immediate = false, detail = '' } = {}) => {
    metrics.errors.inc({ model: String(p.modelId), provider: p.id, kind });
    const s = p.onFailure(kind, { immediate, policy });
    if (s) suspendLog(p, s, `${kind}${detail ? ` (${detail})` : ''}`);
  };

  /** One attempt on provider `p`. Resolves `{ done: true }` once answered, or `{ done: false, retry, error }`. */
  async function attempt(p, { req, res, method, path, search, headers, body, epoch, signal, canRetry, clientGone }) {
    const model = String(p.modelId);
    const t0 = performance.now();
    p.inflight += 1;
    const bytesIn = body?.length ?? 0;
    // prom-client children cached on the provider: no label hashing per request
    const pm = (p.metricChildren ??= { latency: metrics.latency.labels(model, p.id), attempts: {}, bytesIn: metrics.bytes.labels(model, 'in'), bytesOut: metrics.bytes.labels(model, 'out') });
    const rec = (outcome, errorKind, extra = {}) => {
      usage.record({ model: p.modelId, epoch, provider: p.id, outcome, errorKind, bytesIn, ...extra });
      (pm.attempts[outcome] ??= metrics.attempts.labels(model, p.id, outcome)).inc();
    };
    let up;
    try {
      up = await agent.request({ origin: p.base.origin, path: upstreamPath(p.base, path, search), method, headers, body, signal });
    } catch (e) {
      p.inflight -= 1;
      if (clientGone()) {
        rec('aborted', null);
        return { done: true };
      }
      const c = classifyError(e);
      rec('failure', c.kind, c.notSent ? { bytesIn: 0 } : {}); // a request that never left sent no bytes
      failed(p, c.kind, { immediate: c.notSent, detail: e.code ?? e.message });
      return { done: false, retry: c.notSent || canRetry, error: c, status: c.kind === 'timeout' ? 504 : 502, message: `provider ${p.id}: ${c.kind} (${e.code ?? e.message})` };
    }
    const ttfb = performance.now() - t0;
    pm.latency.observe(ttfb / 1000);
    if (up.statusCode >= 500 && canRetry) {
      await up.body.dump().catch(() => {});
      p.inflight -= 1;
      rec('failure', 'status_5xx', { latencyMs: ttfb });
      failed(p, 'status_5xx', { detail: `HTTP ${up.statusCode}` });
      return { done: false, retry: true, status: 502, message: `provider ${p.id} answered HTTP ${up.statusCode}` };
    }
    const out = filterHeaders(up.headers, RESPONSE_DROP);
    out['x-func-provider'] = p.id;
    let bytesOut = 0;
    let tooLarge = false;
    let streamError = null;
    try {
      res.writeHead(up.statusCode, out);
      if (method === 'HEAD') {
        await up.body.dump();
        res.end();
      } else {
        bytesOut = await relay(up.body, res, limits.maxResponseBytes);
      }
    } catch (e) {
      streamError = e;
      tooLarge = Boolean(e.tooLarge);
      bytesOut = e.bytes ?? bytesOut;
    }
    p.inflight -= 1;
    pm.bytesIn.inc(bytesIn);
    pm.bytesOut.inc(bytesOut);
    const ms = performance.now() - t0;
    if (streamError) {
      if (!tooLarge && clientGone()) {
        rec('aborted', null, { bytesOut, latencyMs: ttfb });
      } else {
        const kind = tooLarge ? 'too_large' : classifyError(streamError).kind === 'timeout' ? 'timeout' : 'stream';
        rec('failure', kind, { bytesOut, latencyMs: ttfb });
        failed(p, kind, { detail: streamError.message });
        res.destroy();
      }
    } else if (up.statusCode >= 500) {
      rec('failure', 'status_5xx', { bytesOut, latencyMs: ttfb });
      failed(p, 'status_5xx', { detail: `HTTP ${up.statusCode}` });
    } else if (up.statusCode >= 400) {
      rec('client_error', null, { bytesOut, latencyMs: ttfb });
      p.observeLatency(ttfb, policy);
    } else {
      rec('success', null, { bytesOut, latencyMs: ttfb });
      if (p.onSuccess(ttfb, policy)) log(`provider ${p.id} (model ${p.modelId}) served ${policy.resetAfterSuccesses} requests in a row: its backoff starts over`);
    }
    if (ctx.logRequests) log(`${method} ${req.url} → ${p.id} ${up.statusCode} ${bytesOut} B ttfb ${ttfb.toFixed(1)} ms total ${ms.toFixed(1)} ms`);
    return { done: true, status: up.statusCode };
  }

  /** Routes one request of `entry` (a model) to its providers, with retries. */
  async function route(req, res, entry, path, search, body) {
    const modelLabel = String(entry.id);
    const epoch = table.epoch;
    const method = req.method;
    const headers = filterHeaders(req.headers, REQUEST_DROP);
    if (body) headers['content-length'] = String(body.length);
    headers.via = `${req.httpVersion} func-gateway`;
    let gone = false;
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) {
        gone = true;
        controller.abort();
      }
    });
    // one timer per request bounds it whole (AbortSignal.any/timeout cost more per request)
    const timer = setTimeout(() => {
      const e = new Error(`the request took longer than ${limits.requestTimeoutMs / 1000}s`);
      e.name = 'TimeoutError';
      e.code = 'FUNC_REQUEST_TIMEOUT';
      controller.abort(e);
    }, limits.requestTimeoutMs);
    try {
      await routeAttempts(req, res, entry, path, search, body, { modelLabel, epoch, method, headers, signal: controller.signal, clientGone: () => gone });
    } finally {
      clearTimeout(timer);
    }
  }

  async function routeAttempts(req, res, entry, path, search, body, { modelLabel, epoch, method, headers, signal, clientGone }) {
    const idempotent = IDEMPOTENT.has(method);
    const tried = new Set();
    let last = null;
    for (let i = 0; i < limits.maxAttempts; i += 1) {
      const p = table.choose(entry.id, tried);
      if (!p) break;
      if (i > 0) metrics.retries.inc({ model: modelLabel });
      tried.add(p.key);
      const canRetry = idempotent && i + 1 < limits.maxAttempts;
      const r = await attempt(p, { req, res, method, path, search, headers, body, epoch, signal, canRetry, clientGone });
      if (r.done) {
        metrics.requests.inc({ model: modelLabel, result: r.status === undefined ? 'aborted' : r.status >= 500 ? 'upstream_error' : r.status >= 400 ? 'client_error' : 'ok' });
        return;
      }
      last = r;
      if (!r.retry || clientGone()) break;
    }
    if (clientGone()) return;
    if (!last) {
      usage.recordUnrouted(entry.id, epoch);
      metrics.requests.inc({ model: modelLabel, result: 'no_provider' });
      const why = !entry.exists ? `model ${entry.id} does not exist on chain` : !entry.enabled ? `model ${entry.id} is disabled` : `model ${entry.id} has no active provider the gateway can route to`;
      sendError(res, 503, why, 'no_provider');
      return;
    }
    metrics.requests.inc({ model: modelLabel, result: 'upstream_error' });
    sendError(res, last.status ?? 502, `no provider answered: ${last.message}`, 'upstream_error', { providers_tried: tried.size });
  }

  async function handle(req, res) {
    const u = new URL(req.url, 'http://gateway');
    const path = u.pathname;
    if (path === '/health' && req.method === 'GET') {
      const h = ctx.health();
      const body = JSON.stringify(h, null, 2);
      res.writeHead(h.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
      res.end(body);
      return;
    }
    if (path === '/metrics' && req.method === 'GET') {
      const text = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(text);
      return;
    }
    if (path === '/v1/models' && req.method === 'GET') {
      const data = [...table.models.values()]
        .filter((m) => m.exists)
        .map((m) => ({ id: m.name ?? String(m.id), object: 'model', owned_by: 'func-network', func_model_id: m.id, enabled: m.enabled, providers: m.providers.size }));
      const body = JSON.stringify({ object: 'list', data });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
      return;
    }
    if (table.epoch === null) {
      sendError(res, 503, 'the routing table is not loaded yet', 'not_ready');
      return;
    }
    if (!ALLOWED.has(req.method)) {
      sendError(res, 405, `method ${req.method} is not forwarded`, 'method_not_allowed');
      return;
    }
    const m = /^\/models\/([^/]+)(\/.*)?$/.exec(path);
    if (m) {
      const entry = table.resolveModel(decodeURIComponent(m[1]));
      if (!entry) {
        metrics.requests.inc({ model: 'unknown', result: 'bad_request' });
        sendError(res, 404, `no model "${decodeURIComponent(m[1])}" is served by this gateway`, 'model_not_found');
        return;
      }
      const body = await readBody(req, limits.maxRequestBytes, limits.clientTimeoutMs);
      await route(req, res, entry, m[2] ?? '/', u.search, body);
      return;
    }
    if (OPENAI_ROUTES.has(path)) {
      if (req.method !== 'POST') {
        sendError(res, 405, `${path} takes POST`, 'method_not_allowed');
        return;
      }
      const body = await readBody(req, limits.maxRequestBytes, limits.clientTimeoutMs);
      let json;
      try {
        json = JSON.parse(body?.toString('utf8') ?? '');
      } catch {
        metrics.requests.inc({ model: 'unknown', result: 'bad_request' });
        sendError(res, 400, 'the request body is not JSON', 'bad_request');
        return;
      }
      const name = json?.model;
      if (name === undefined || name === null || name === '') {
        metrics.requests.inc({ model: 'unknown', result: 'bad_request' });
        sendError(res, 400, 'the request names no "model" (a model id or its name on the router)', 'bad_request');
        return;
      }
      const entry = table.resolveModel(name);
      if (!entry) {
        metrics.requests.inc({ model: 'unknown', result: 'bad_request' });
        sendError(res, 404, `no model ${JSON.stringify(name)} is served by this gateway (a model id or its name on the router)`, 'model_not_found');
        return;
      }
      await route(req, res, entry, path, u.search, body);
      return;
    }
    sendError(res, 404, `no route for ${path}: use /models/<model_id>/<path>, /v1/chat/completions, /health or /metrics`, 'not_found');
  }

  const server = createServer({ requestTimeout: limits.clientTimeoutMs + 5_000, headersTimeout: 30_000 }, (req, res) => {
    inflight += 1;
    res.on('close', () => {
      inflight -= 1;
    });
    handle(req, res).catch((e) => {
      if (e instanceof HttpError) {
        metrics.requests.inc({ model: 'unknown', result: e.status === 413 ? 'too_large' : 'bad_request' });
        sendError(res, e.status, e.message, e.code);
      } else {
        log(`internal error on ${req.method} ${req.url}: ${e?.stack ?? e}`);
        sendError(res, 500, 'internal gateway error', 'internal');
      }
    });
  });

  // --- health checks ----------------------------------------------------------------------
  const probing = new Set();
  async function probe(p) {
    probing.add(p.key);
    p.lastProbeAt = Date.now();
    const wasSuspended = p.isSuspended();
    const model = String(p.modelId);
    const t0 = performance.now();
    let ok = false;
    let why = '';
    try {
      const r = await agent.request({
        origin: p.base.origin,
        path: upstreamPath(p.base, limits.healthPath, ''),
        method: 'GET',
        headers: { 'user-agent': 'func-gateway health check' },
        signal: AbortSignal.timeout(limits.healthTimeoutMs),
      });
      await r.body.dump().catch(() => {});
      ok = r.statusCode < 500;
      why = `HTTP ${r.statusCode}`;
    } catch (e) {
      const c = classifyError(e);
      why = `${c.kind} (${e.code ?? e.message})`;
    }
    const ms = performance.now() - t0;
    metrics.healthChecks.inc({ model, provider: p.id, result: ok ? 'ok' : 'failed' });
    if (ok) {
      if (p.latencyMs === null) p.observeLatency(ms, policy); // a first estimate; real requests measure inference latency
      if (wasSuspended) {
        p.resume();
        metrics.suspended.set({ model, provider: p.id }, 0);
        log(`resumed provider ${p.id} (model ${p.modelId}): health check ${why} in ${ms.toFixed(1)} ms after its suspension`);
      }
    } else {
      metrics.errors.inc({ model, provider: p.id, kind: 'health_check' });
      if (!wasSuspended) p.successRate += policy.successAlpha * (0 - p.successRate);
      const s = p.suspend(Date.now(), policy);
      suspendLog(p, s, `health check failed: ${why}`);
    }
    probing.delete(p.key);
  }

  function healthTick() {
    const now = Date.now();
    const due = [];
    for (const p of table.all()) {
      if (p.refused || p.base === null || probing.has(p.key)) continue;
      if (p.isSuspended()) {
        if (p.backoffOver(now)) due.push(p); // backoff over: a health check decides whether it serves again
      } else if (now - p.lastProbeAt >= limits.healthIntervalMs) due.push(p);
    }
    for (const p of due.slice(0, 64)) probe(p).catch((e) => log(`health check of ${p.id} failed to run: ${e.message}`));
  }
  const healthTimer = setInterval(healthTick, Math.min(1_000, limits.healthIntervalMs));
  healthTimer.unref();

  return {
    server,
    agent,
    healthTick,
    inflight: () => inflight,
    async close() {
      clearInterval(healthTimer);
      await new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await agent.close().catch(() => {});
    },
  };
}
