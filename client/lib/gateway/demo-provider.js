// DEMO inference server — NOT a model. A real HTTP server that speaks the OpenAI-style API a
// provider node serves (`/v1/models`, `/v1/chat/completions` with and without streaming,
// `/v1/completions`) and answers by echoing the prompt, so that a devnet and the tests can run
// the whole loop (providers → gateway → usage → reporter → rewards) without a GPU.
//
//   func demo-provider --listen 127.0.0.1:18071 --name demo-a [--model-name demo-llm]
//                      [--delay-ms 0] [--token-delay-ms 0] [--fail-rate 0]
import { createServer } from 'node:http';

const json = (res, status, body, headers = {}, stats = null) => {
  const text = JSON.stringify(body);
  if (stats) stats.bytes_out += Buffer.byteLength(text);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function readAll(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The text a chat request asks to echo: the last user message (string or text parts). */
function lastUserText(messages) {
  if (!Array.isArray(messages)) return '';
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const m = messages[i];
    if (m?.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (Array.isArray(m.content)) return m.content.map((p) => (typeof p?.text === 'string' ? p.text : '')).join(' ');
  }
  return '';
}

/**
 * A demo provider. `opts`: `{ name, modelName, delayMs, tokenDelayMs, failRate, failStatus }`;
 * they can be changed while it runs (`demo.opts.delayMs = 200`). `stats` counts what it saw:
 * `requests` (everything but health checks), `completions`, `health_checks`, `by_status`,
 * `bytes_in`, `bytes_out`, and the last request's headers.
 */
export function createDemoProvider(opts = {}) {
  const o = { name: 'demo', modelName: 'demo-llm', delayMs: 0, tokenDelayMs: 0, failRate: 0, failStatus: 500, random: Math.random, ...opts };
  const stats = { requests: 0, completions: 0, streams: 0, health_checks: 0, by_status: {}, bytes_in: 0, bytes_out: 0, last_headers: null };
  const tag = { 'x-demo-provider': o.name };

  const count = (res, status) => {
    stats.by_status[status] = (stats.by_status[status] ?? 0) + 1;
  };

  async function completion(req, res, body, kind) {
    let j = {};
    try {
      j = JSON.parse(body.toString('utf8') || '{}');
    } catch {
      count(res, 400);
      return json(res, 400, { error: { message: 'the body is not JSON', type: 'invalid_request_error' } }, tag, stats);
    }
    const prompt = kind === 'chat' ? lastUserText(j.messages) : String(j.prompt ?? '');
    const text = `[demo ${o.name}] echo: ${prompt}`;
    const id = `demo-${Date.now().toString(36)}-${stats.completions}`;
    const created = Math.floor(Date.now() / 1000);
    const model = j.model ?? o.modelName;
    const usage = { prompt_tokens: prompt.split(/\s+/).filter(Boolean).length, completion_tokens: text.split(/\s+/).length };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    stats.completions += 1;
    if (j.stream) {
      stats.streams += 1;
      count(res, 200);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...tag });
      const words = text.split(/(?<= )/);
      for (const [i, w] of words.entries()) {
        const chunk =
          kind === 'chat'
            ? { id, object: 'chat.completion.chunk', created, model, demo: true, choices: [{ index: 0, delta: i === 0 ? { role: 'assistant', content: w } : { content: w }, finish_reason: null }] }
            : { id, object: 'text_completion', created, model, demo: true, choices: [{ index: 0, text: w, finish_reason: null }] };
        const line = `data: ${JSON.stringify(chunk)}\n\n`;
        stats.bytes_out += Buffer.byteLength(line);
        res.write(line);
        if (o.tokenDelayMs) await sleep(o.tokenDelayMs);
        if (res.destroyed) return undefined;
      }
      const end = `data: ${JSON.stringify({ id, object: kind === 'chat' ? 'chat.completion.chunk' : 'text_completion', created, model, demo: true, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`;
      stats.bytes_out += Buffer.byteLength(end);
      res.end(end);
      return undefined;
    }
    const answer =
      kind === 'chat'
        ? { id, object: 'chat.completion', created, model, demo: true, provider: o.name, choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }], usage }
        : { id, object: 'text_completion', created, model, demo: true, provider: o.name, choices: [{ index: 0, text, finish_reason: 'stop' }], usage };
    count(res, 200);
    return json(res, 200, answer, tag, stats);
  }

  async function handle(req, res) {
    const path = new URL(req.url, 'http://demo').pathname;
    if ((path === '/health' || path === '/v1/models') && req.method === 'GET') {
      stats.health_checks += 1;
      if (path === '/health') return json(res, 200, { status: 'ok', demo: true, provider: o.name }, tag);
      return json(res, 200, { object: 'list', demo: true, data: [{ id: o.modelName, object: 'model', owned_by: `func-demo ${o.name}` }] }, tag);
    }
    const body = await readAll(req);
    stats.requests += 1;
    stats.bytes_in += body.length;
    stats.last_headers = { ...req.headers };
    if (o.delayMs) await sleep(o.delayMs);
    if (o.failRate > 0 && o.random() < o.failRate) {
      count(res, o.failStatus);
      return json(res, o.failStatus, { error: { message: `demo provider ${o.name} failed on purpose (--fail-rate)`, type: 'server_error' } }, tag, stats);
    }
    if (path === '/v1/chat/completions' && req.method === 'POST') return completion(req, res, body, 'chat');
    if (path === '/v1/completions' && req.method === 'POST') return completion(req, res, body, 'text');
    if (path.startsWith('/echo')) {
      count(res, 200);
      const answer = { demo: true, provider: o.name, method: req.method, path: req.url, headers: req.headers, body: body.toString('utf8') };
      return json(res, 200, answer, tag, stats);
    }
    count(res, 404);
    return json(res, 404, { error: { message: `the demo provider has no ${req.method} ${path}`, type: 'not_found' } }, tag, stats);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) json(res, 500, { error: { message: e.message, type: 'server_error' } });
      else res.destroy();
    });
  });

  return {
    opts: o,
    stats,
    server,
    /** Listens on `port` (0: a free one) and resolves the base URL. */
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const a = server.address();
          this.port = a.port;
          this.url = `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
          resolve(this.url);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
