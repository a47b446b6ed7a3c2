// `func gateway …` and `func demo-provider …`: option parsing, signals, exit.
import { parseArgs } from 'node:util';
import { UserError, parseAmount, parseIntArg } from '../codec.js';
import { deploymentPath } from '../suite.js';
import { DEFAULT_URL } from '../chain.js';
import { DEFAULT_LIMITS, DEFAULT_POLICY, parseListen, startGateway, stdoutLog } from './index.js';
import { createDemoProvider } from './demo-provider.js';

export const GATEWAY_USAGE = `func gateway — route inference requests to a model's active providers and measure their usage

Usage: func gateway --url ws://… --deployment FILE --listen HOST:PORT --usage DIR [options]

  --url URL                 node endpoint (default $FUNC_URL or ${DEFAULT_URL})
  --deployment FILE         deployment file (default deployments/<network>.json)
  --network NAME            deployment name (default $FUNC_NETWORK or "local")
  --artifacts DIR           .contract bundles (default $FUNC_ARTIFACTS, $CARGO_TARGET_DIR/ink or target/ink)
  --listen HOST:PORT        where clients connect (default 127.0.0.1:8080)
  --usage DIR               usage (DIR/usage/<model>/<epoch>.json) and the reporter input (DIR/<model>/<epoch>.json)
  --models 1,2              models to serve (default: every model of the router)
  --allow-private           route to loopback, private and link-local provider URLs (dev chains only)
  --epoch-reward A          FUNC reported per ended epoch and model when it has usage (default 0; --raw: base units)
  --flush-ms N              usage written every N ms (default 2000; also on SIGTERM)
  --health-interval-ms N    health check of each provider every N ms (default ${DEFAULT_LIMITS.healthIntervalMs})
  --health-path PATH        path of the health check (default ${DEFAULT_LIMITS.healthPath})
  --failure-threshold N     failed requests in a row that suspend a provider (default ${DEFAULT_POLICY.failureThreshold})
  --backoff-ms N            first suspension, doubled each time in a row (default ${DEFAULT_POLICY.backoffBaseMs})
  --backoff-max-ms N        longest suspension (default ${DEFAULT_POLICY.backoffMaxMs})
  --max-attempts N          providers tried for one request (default ${DEFAULT_LIMITS.maxAttempts})
  --max-request-bytes N     largest request body (default ${DEFAULT_LIMITS.maxRequestBytes})
  --max-response-bytes N    largest answer relayed (default ${DEFAULT_LIMITS.maxResponseBytes})
  --connect-timeout-ms N    (default ${DEFAULT_LIMITS.connectTimeoutMs})
  --headers-timeout-ms N    to the provider's response headers (default ${DEFAULT_LIMITS.headersTimeoutMs})
  --body-timeout-ms N       longest silence inside an answer (default ${DEFAULT_LIMITS.bodyTimeoutMs})
  --timeout-ms N            a whole request, retries included (default ${DEFAULT_LIMITS.requestTimeoutMs})
  --log-requests            one log line per request

Routes: POST|GET /models/<model_id>/<path> → <provider url>/<path>; POST /v1/chat/completions
(and /v1/completions, /v1/embeddings) routed by the body's "model" (a model id or its name);
GET /v1/models, /health, /metrics.
`;

export const DEMO_USAGE = `func demo-provider — a DEMO inference server (echoes the prompt; no model), for devnets and tests

Usage: func demo-provider --listen HOST:PORT [--name NAME] [--model-name NAME] [--delay-ms N]
                          [--token-delay-ms N] [--fail-rate 0..1]

Serves GET /health, GET /v1/models, POST /v1/chat/completions (stream: true → server-sent events),
POST /v1/completions and ANY /echo/… (echoes method, path, headers and body).
`;

const GATEWAY_OPTIONS = {
  url: { type: 'string' },
  deployment: { type: 'string' },
  network: { type: 'string' },
  artifacts: { type: 'string' },
  listen: { type: 'string' },
  usage: { type: 'string' },
  models: { type: 'string' },
  'allow-private': { type: 'boolean' },
  'epoch-reward': { type: 'string' },
  raw: { type: 'boolean' },
  'flush-ms': { type: 'string' },
  'health-interval-ms': { type: 'string' },
  'health-path': { type: 'string' },
  'failure-threshold': { type: 'string' },
  'backoff-ms': { type: 'string' },
  'backoff-max-ms': { type: 'string' },
  'max-attempts': { type: 'string' },
  'max-request-bytes': { type: 'string' },
  'max-response-bytes': { type: 'string' },
  'connect-timeout-ms': { type: 'string' },
  'headers-timeout-ms': { type: 'string' },
  'body-timeout-ms': { type: 'string' },
  'timeout-ms': { type: 'string' },
  'log-requests': { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

function parse(argv, options, usage) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: false, strict: true }).values;
  } catch (e) {
    throw new UserError(`${e.message.replace(/\. To specify a positional.*$/s, '')}\n\n${usage}`);
  }
}

const positive = (v, what) => {
  const n = parseIntArg(v, what);
  if (n <= 0) throw new UserError(`${what} must be above 0`);
  return n;
};

/** Builds startGateway's options from the command line (exported for tests). */
export function gatewayOptions(v, env = process.env) {
  if (!v.usage) throw new UserError('missing --usage <dir>: where the gateway writes usage and the reporter input');
  const network = v.network ?? env.FUNC_NETWORK ?? 'local';
  const models = v.models
    ? v.models.split(',').map((s) => parseIntArg(s.trim(), '--models entry'))
    : null;
  const limits = {};
  const policy = {};
  const num = (flag, into, key) => {
    if (v[flag] !== undefined) into[key] = positive(v[flag], `--${flag}`);
  };
  num('health-interval-ms', limits, 'healthIntervalMs');
  num('max-attempts', limits, 'maxAttempts');
  num('max-request-bytes', limits, 'maxRequestBytes');
  num('max-response-bytes', limits, 'maxResponseBytes');
  num('connect-timeout-ms', limits, 'connectTimeoutMs');
  num('headers-timeout-ms', limits, 'headersTimeoutMs');
  num('body-timeout-ms', limits, 'bodyTimeoutMs');
  num('timeout-ms', limits, 'requestTimeoutMs');
  num('failure-threshold', policy, 'failureThreshold');
  num('backoff-ms', policy, 'backoffBaseMs');
  num('backoff-max-ms', policy, 'backoffMaxMs');
  if (v['health-path'] !== undefined) {
    if (!v['health-path'].startsWith('/')) throw new UserError('--health-path must start with /');
    limits.healthPath = v['health-path'];
  }
  parseListen(v.listen ?? '127.0.0.1:8080');
  return {
    url: v.url ?? env.FUNC_URL ?? DEFAULT_URL,
    deploymentFile: v.deployment ?? env.FUNC_DEPLOYMENT ?? deploymentPath(network),
    artifacts: v.artifacts,
    listen: v.listen ?? '127.0.0.1:8080',
    usageDir: v.usage,
    models,
    allowPrivate: Boolean(v['allow-private']),
    epochReward: v['epoch-reward'] !== undefined ? parseAmount(v['epoch-reward'], { raw: v.raw }) : 0n,
    flushMs: v['flush-ms'] !== undefined ? positive(v['flush-ms'], '--flush-ms') : 2_000,
    limits,
    policy,
    logRequests: Boolean(v['log-requests']),
  };
}

/** Waits for SIGTERM or SIGINT, then runs `stop` once; resolves when it is done. */
function untilSignal(stop, log) {
  return new Promise((resolve, reject) => {
    let stopping = false;
    const on = (sig) => {
      if (stopping) return;
      stopping = true;
      log(`${sig}: stopping`);
      stop().then(resolve, reject);
    };
    process.once('SIGTERM', () => on('SIGTERM'));
    process.once('SIGINT', () => on('SIGINT'));
  });
}

/** `func gateway …`: runs until SIGTERM/SIGINT. */
export async function runGatewayCli(argv) {
  const v = parse(argv, GATEWAY_OPTIONS, GATEWAY_USAGE);
  if (v.help) {
    console.log(GATEWAY_USAGE);
    return;
  }
  const gw = await startGateway(gatewayOptions(v));
  await untilSignal(() => gw.close(), stdoutLog);
}

/** `func demo-provider …`: runs until SIGTERM/SIGINT. */
export async function runDemoProviderCli(argv) {
  const v = parse(
    argv,
    {
      listen: { type: 'string' },
      name: { type: 'string' },
      'model-name': { type: 'string' },
      'delay-ms': { type: 'string' },
      'token-delay-ms': { type: 'string' },
      'fail-rate': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    DEMO_USAGE,
  );
  if (v.help) {
    console.log(DEMO_USAGE);
    return;
  }
  const { host, port } = parseListen(v.listen ?? '127.0.0.1:18070');
  const failRate = v['fail-rate'] !== undefined ? Number(v['fail-rate']) : 0;
  if (!(failRate >= 0 && failRate <= 1)) throw new UserError(`--fail-rate must be between 0 and 1, got "${v['fail-rate']}"`);
  const demo = createDemoProvider({
    name: v.name ?? `demo-${port}`,
    modelName: v['model-name'] ?? 'demo-llm',
    delayMs: v['delay-ms'] !== undefined ? parseIntArg(v['delay-ms'], '--delay-ms') : 0,
    tokenDelayMs: v['token-delay-ms'] !== undefined ? parseIntArg(v['token-delay-ms'], '--token-delay-ms') : 0,
    failRate,
  });
  let url;
  try {
    url = await demo.listen(port, host);
  } catch (e) {
    throw new UserError(`cannot listen on ${host}:${port}: ${e.message}`);
  }
  stdoutLog(`DEMO inference server "${demo.opts.name}" (echoes prompts, no model) listening on ${url}`);
  await untilSignal(async () => {
    await demo.close();
    stdoutLog(`demo provider "${demo.opts.name}" stopped after ${demo.stats.requests} request(s)`);
  }, stdoutLog);
}
