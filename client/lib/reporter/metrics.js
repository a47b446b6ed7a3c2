// The reporter's Prometheus metrics (prom-client) and its HTTP endpoints /health and /metrics.
import { createServer } from 'node:http';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** The metric set of one reporter process, on its own registry. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'func_reporter_process_' });
  const m = {
    registry,
    lastReported: new Gauge({
      name: 'func_reporter_last_reported_epoch',
      help: 'Highest ended epoch of the model whose report on chain equals its file (0: none yet)',
      labelNames: ['model'],
      registers: [registry],
    }),
    epochsBehind: new Gauge({
      name: 'func_reporter_epochs_behind',
      help: 'Ended epochs of the model after the last reported one (current epoch - 1 - last reported epoch)',
      labelNames: ['model'],
      registers: [registry],
    }),
    pending: new Gauge({
      name: 'func_reporter_pending_epochs',
      help: 'Reportable epochs of the model with a file whose report on chain does not equal the file yet',
      labelNames: ['model'],
      registers: [registry],
    }),
    failures: new Counter({
      name: 'func_reporter_failures_total',
      help: 'Refused or failed reports and bad input, by kind (bad_input, refused, tx_failed, final, pass_error)',
      labelNames: ['model', 'kind'],
      registers: [registry],
    }),
    transactions: new Counter({
      name: 'func_reporter_transactions_total',
      help: 'Report transactions included in a block, by message',
      labelNames: ['model', 'message'],
      registers: [registry],
    }),
    fees: new Counter({
      name: 'func_reporter_fees_paid_total',
      help: 'Transaction fees paid, in the chain native token base units',
      registers: [registry],
    }),
    fundingBalance: new Gauge({
      name: 'func_reporter_reward_funding_balance_func',
      help: 'reward_funding().balance of the model pool, in FUNC',
      labelNames: ['model'],
      registers: [registry],
    }),
    fundingReserved: new Gauge({
      name: 'func_reporter_reward_funding_reserved_func',
      help: 'reward_funding().reserved of the model pool, in FUNC',
      labelNames: ['model'],
      registers: [registry],
    }),
    fundingUnreserved: new Gauge({
      name: 'func_reporter_reward_funding_unreserved_func',
      help: 'Reward funding not promised to any epoch yet (balance - reserved), in FUNC: what future reports can use',
      labelNames: ['model'],
      registers: [registry],
    }),
    fundingEpochsLeft: new Gauge({
      name: 'func_reporter_reward_funding_epochs_left',
      help: 'Unreserved funding divided by the latest epoch total of the model (how many more such epochs it pays)',
      labelNames: ['model'],
      registers: [registry],
    }),
    suspended: new Gauge({
      name: 'func_reporter_reports_suspended',
      help: '1 while the model pool refuses reports (reports_suspended), else 0',
      labelNames: ['model'],
      registers: [registry],
    }),
    currentEpoch: new Gauge({ name: 'func_reporter_current_epoch', help: 'Current epoch of the epoch controller', registers: [registry] }),
    bestBlock: new Gauge({ name: 'func_reporter_best_block', help: 'Best block seen by the last pass', registers: [registry] }),
    connected: new Gauge({ name: 'func_reporter_connected', help: '1 while connected to the node', registers: [registry] }),
    lastPass: new Gauge({ name: 'func_reporter_last_pass_timestamp_seconds', help: 'Unix time of the last completed pass', registers: [registry] }),
  };
  return m;
}

/** FUNC base units → a float number of FUNC for a gauge. */
export function funcFloat(units) {
  const v = BigInt(units);
  return Number(v / 10n ** 12n) / 1e6;
}

/**
 * Serves `GET /health` (JSON; 200 while connected and a pass completed recently, else 503) and
 * `GET /metrics` (Prometheus text) on `host:port`. Resolves with the server once listening.
 */
export function serveMetrics({ port, host = '127.0.0.1', metrics, health }) {
  const server = createServer(async (req, res) => {
    try {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
      } else if (path === '/metrics') {
        const body = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body);
      } else if (path === '/health' || path === '/healthz') {
        const h = health();
        res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' }).end(`${JSON.stringify(h)}\n`);
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /health or /metrics\n');
      }
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`${e.message}\n`);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
