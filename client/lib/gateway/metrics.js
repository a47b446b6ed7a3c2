// Prometheus metrics of the gateway (prom-client), on their own registry.
import client from 'prom-client';

export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'func_gateway_' });
  const m = {
    registry,
    requests: new client.Counter({
      name: 'func_gateway_requests_total',
      help: 'Requests the gateway answered, by model and result (ok, client_error, upstream_error, no_provider, bad_request, too_large)',
      labelNames: ['model', 'result'],
      registers: [registry],
    }),
    attempts: new client.Counter({
      name: 'func_gateway_upstream_attempts_total',
      help: 'Attempts sent to providers, by model, provider and outcome (success, client_error, failure, aborted)',
      labelNames: ['model', 'provider', 'outcome'],
      registers: [registry],
    }),
    latency: new client.Histogram({
      name: 'func_gateway_upstream_latency_seconds',
      help: "Time to a provider's response headers, by model and provider",
      labelNames: ['model', 'provider'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    errors: new client.Counter({
      name: 'func_gateway_upstream_errors_total',
      help: 'Failed attempts to providers, by model, provider and kind (connect, timeout, reset, status_5xx, stream, too_large, refused_address)',
      labelNames: ['model', 'provider', 'kind'],
      registers: [registry],
    }),
    retries: new client.Counter({
      name: 'func_gateway_retries_total',
      help: 'Requests sent again to another provider after a failed attempt, by model',
      labelNames: ['model'],
      registers: [registry],
    }),
    suspensions: new client.Counter({
      name: 'func_gateway_suspensions_total',
      help: 'Times a provider was suspended (passive failures or a failed health check), by model and provider',
      labelNames: ['model', 'provider'],
      registers: [registry],
    }),
    suspended: new client.Gauge({
      name: 'func_gateway_provider_suspended',
      help: '1 while a provider is suspended',
      labelNames: ['model', 'provider'],
      registers: [registry],
    }),
    refused: new client.Gauge({
      name: 'func_gateway_provider_refused',
      help: 'Active providers the gateway refuses to connect to (1), with the reason',
      labelNames: ['model', 'provider', 'reason'],
      registers: [registry],
    }),
    refusals: new client.Counter({
      name: 'func_gateway_provider_refusals_total',
      help: 'Times a provider URL was refused (loopback, private, link-local… target), by model and provider',
      labelNames: ['model', 'provider'],
      registers: [registry],
    }),
    healthChecks: new client.Counter({
      name: 'func_gateway_health_checks_total',
      help: 'Health checks of providers, by model, provider and result (ok, failed)',
      labelNames: ['model', 'provider', 'result'],
      registers: [registry],
    }),
    activeProviders: new client.Gauge({
      name: 'func_gateway_active_providers',
      help: 'Active providers of a model on chain (last refresh), and how many are routable',
      labelNames: ['model', 'state'],
      registers: [registry],
    }),
    refreshSeconds: new client.Histogram({
      name: 'func_gateway_routing_refresh_seconds',
      help: 'Time of one routing table refresh from the chain',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    refreshRpc: new client.Counter({
      name: 'func_gateway_routing_rpc_calls_total',
      help: 'Contract reads made by routing table refreshes',
      registers: [registry],
    }),
    refreshes: new client.Counter({
      name: 'func_gateway_routing_refreshes_total',
      help: 'Routing table refreshes, by result (ok, failed)',
      labelNames: ['result'],
      registers: [registry],
    }),
    block: new client.Gauge({ name: 'func_gateway_routing_block', help: 'Block the routing table was last read at', registers: [registry] }),
    epoch: new client.Gauge({ name: 'func_gateway_epoch', help: "The chain's current epoch as the gateway last read it", registers: [registry] }),
    usageFlushes: new client.Counter({ name: 'func_gateway_usage_flushes_total', help: 'Usage files written', registers: [registry] }),
    reportsWritten: new client.Counter({
      name: 'func_gateway_reports_written_total',
      help: "Reporter input files written (an ended epoch's shards), by model",
      labelNames: ['model'],
      registers: [registry],
    }),
    bytes: new client.Counter({
      name: 'func_gateway_bytes_total',
      help: 'Body bytes relayed, by model and direction (in: to providers, out: to clients)',
      labelNames: ['model', 'direction'],
      registers: [registry],
    }),
  };
  return m;
}
