// The gateway: a reverse proxy that routes inference requests to a model's active providers
// (read from the chain) and writes per-epoch usage that becomes the reporter's input.
//
//   const gw = await startGateway({ url, deploymentFile, listen: '127.0.0.1:8080', usageDir });
//   …
//   await gw.close();   // stops accepting, lets requests finish, flushes usage
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { connect } from '../chain.js';
import { loadBundles, defaultArtifactsDir } from '../bundles.js';
import { Suite, readDeployment } from '../suite.js';
import { UserError } from '../codec.js';
import { createMetrics } from './metrics.js';
import { RoutingTable } from './routing.js';
import { UsageStore } from './usage.js';
import { createGatewayServer, DEFAULT_LIMITS } from './proxy.js';
import { DEFAULT_POLICY } from './providers.js';

export { DEFAULT_LIMITS, DEFAULT_POLICY };
export { RoutingTable } from './routing.js';
export { UsageStore, reportFromUsage, LatencyHistogram, writeFileAtomic } from './usage.js';
export { refusalReason, checkHost, parseProviderUrl } from './addresses.js';
export { chooseProvider, ProviderState } from './providers.js';

// A read-only origin for dry-runs when the deployment names no deployer (//Alice's public address).
const READ_ORIGIN = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

/** `host:port` → `{ host, port }` (a bare port listens on 127.0.0.1). */
export function parseListen(text) {
  const s = String(text ?? '');
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(s) ?? (/^\d+$/.test(s) ? [null, null, '127.0.0.1', s] : null);
  if (!m) throw new UserError(`--listen must be host:port (e.g. 127.0.0.1:8080), got "${text}"`);
  const port = Number(m[3]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--listen port ${m[3]} is not a port number`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

/** A timestamped log line on stdout (one line per action). */
export function stdoutLog(line) {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
}

/**
 * Starts the gateway. Options:
 *   url, deploymentFile (or deployment), artifacts, listen ('host:port'), usageDir,
 *   allowPrivate, models (number[] | null: every model), epochReward (bigint, FUNC base units),
 *   flushMs (usage persisted every flushMs, default 2000), limits, policy, log, logRequests.
 * Resolves `{ address, port, url, table, usage, metrics, close() }` once the routing table is
 * loaded and the server listens.
 */
export async function startGateway(o) {
  const log = o.log ?? stdoutLog;
  if (!o.usageDir) throw new UserError('missing --usage <dir>: where the gateway writes usage and the reporter input');
  const { host, port } = parseListen(o.listen ?? '127.0.0.1:8080');
  const deployment = o.deployment ?? readDeployment(o.deploymentFile);
  const bundles = o.bundles ?? loadBundles(o.artifacts ?? defaultArtifactsDir());
  const limits = { ...DEFAULT_LIMITS, ...(o.limits ?? {}) };
  const policy = { ...DEFAULT_POLICY, ...(o.policy ?? {}) };
  const flushMs = o.flushMs ?? 2_000;

  const usage = new UsageStore({ dir: o.usageDir, epochReward: o.epochReward ?? 0n, log });
  usage.lock();
  let api;
  try {
    await cryptoWaitReady();
    api = await connect(o.url);
    if (deployment.genesisHash && deployment.genesisHash !== api.genesisHash.toHex()) {
      throw new UserError(`the deployment was written for another chain (genesis ${deployment.genesisHash.slice(0, 10)}…, this node ${api.genesisHash.toHex().slice(0, 10)}…)`);
    }
  } catch (e) {
    usage.unlock();
    await api?.disconnect().catch(() => {});
    throw e;
  }
  const suite = new Suite(api, { address: deployment.deployer ?? READ_ORIGIN }, bundles, deployment);
  const metrics = createMetrics();
  const table = new RoutingTable({ suite, models: o.models ?? null, allowPrivate: Boolean(o.allowPrivate), policy, metrics, log, lookup: o.lookup });

  // --- usage → reporter files -----------------------------------------------------------------
  let lastReportEpoch = null;
  let reportsRunning = false;
  const finalizedThrough = async (modelId) => {
    const pool = await suite.pool(modelId);
    const r = await pool.tryQuery('finalized_through');
    if (r.ok) return Number(r.value);
    return Number(await suite.epoch.query('last_claimable_epoch'));
  };
  async function runReports(force = false) {
    if (reportsRunning || table.epoch === null) return;
    if (!force && lastReportEpoch === table.epoch && !usage.endedDirty) return;
    reportsRunning = true;
    try {
      const epoch = table.epoch;
      for (const [id, entry] of table.models) {
        if (!entry.exists || usage.firstEpoch(id) === null || usage.firstEpoch(id) >= epoch) continue;
        const fin = await finalizedThrough(id);
        for (const w of usage.writeReports(id, { currentEpoch: epoch, finalizedThrough: fin })) {
          metrics.reportsWritten.inc({ model: String(id) });
          const n = Object.keys(w.report.shards).length;
          log(`epoch ${w.epoch} of model ${id} has ended: wrote the reporter input ${w.path} (total ${w.report.total}, ${w.report.total_shards} shards over ${n} provider(s))`);
        }
      }
      lastReportEpoch = epoch;
      usage.endedDirty = false;
    } catch (e) {
      log(`writing the reporter input failed (tried again at the next flush): ${e.message}`);
    } finally {
      reportsRunning = false;
    }
  }
  const afterRefresh = () => {
    usage.currentEpoch = table.epoch;
    for (const [id, entry] of table.models) {
      if (entry.exists && usage.noteServing(id, table.epoch)) log(`serving model ${id} (${entry.name}) from epoch ${table.epoch}: usage of this and later epochs goes to ${usage.usagePath(id, table.epoch)}`);
    }
  };

  // first read of the table (retried: the node may still be starting its contracts)
  const best = async () => (await api.rpc.chain.getHeader()).number.toNumber();
  for (let i = 0; ; i += 1) {
    try {
      const b = await best();
      const r = await table.refresh(b);
      log(`routing table read at block ${b}: epoch ${table.epoch}, ${r?.providers ?? 0} active provider(s) over ${table.models.size} model(s) in ${r?.rpcCalls ?? '?'} contract reads (${r?.ms ?? '?'} ms)`);
      break;
    } catch (e) {
      if (i >= 4) {
        usage.unlock();
        await api.disconnect().catch(() => {});
        throw new UserError(`cannot read the routing table from the chain: ${e.message}`);
      }
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  afterRefresh();

  const gw = createGatewayServer({
    table,
    usage,
    metrics,
    log,
    limits,
    policy,
    allowPrivate: Boolean(o.allowPrivate),
    logRequests: Boolean(o.logRequests),
    health: () => {
      const connected = api.isConnected;
      const fresh = table.refreshedAt !== null;
      return {
        status: connected && fresh ? 'ok' : 'degraded',
        node: { url: o.url, connected },
        ...table.toJSON(),
        stale_ms: table.refreshedAt ? Date.now() - table.refreshedAt : null,
        usage: { dir: o.usageDir, last_flush: usage.lastFlush, flush_ms: flushMs, epoch_reward: usage.epochReward.toString() },
        allow_private: Boolean(o.allowPrivate),
        pid: process.pid,
      };
    },
  });

  // refresh on each new block; a timer catches up if the subscription stalls
  let epochSeen = table.epoch;
  const onHead = (n) =>
    table
      .refresh(n)
      .then(() => {
        afterRefresh();
        if (table.epoch !== epochSeen) {
          log(`epoch ${table.epoch} began (block ${table.block})`);
          epochSeen = table.epoch;
          usage.flush();
          return runReports(true);
        }
        return undefined;
      })
      .catch(() => {});
  const unsubHeads = await api.rpc.chain.subscribeNewHeads((h) => onHead(h.number.toNumber()));
  const pollTimer = setInterval(() => {
    if (!table.refreshedAt || Date.now() - table.refreshedAt > 30_000) best().then(onHead, () => {});
  }, 10_000);
  pollTimer.unref();

  const flushTimer = setInterval(() => {
    try {
      const n = usage.flush();
      if (n) metrics.usageFlushes.inc(n);
    } catch (e) {
      log(`writing usage failed: ${e.message}`);
    }
    runReports();
  }, flushMs);
  flushTimer.unref();

  await new Promise((resolve, reject) => {
    gw.server.once('error', (e) => reject(new UserError(`cannot listen on ${host}:${port}: ${e.message}`)));
    gw.server.listen(port, host, resolve);
  });
  const addr = gw.server.address();
  const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  log(`gateway listening on http://${shown}:${addr.port} (usage in ${o.usageDir}${o.allowPrivate ? '; --allow-private: loopback and private provider URLs are routed' : ''})`);
  gw.healthTick();

  let closed = null;
  return {
    address: addr.address,
    port: addr.port,
    url: `http://${shown}:${addr.port}`,
    table,
    usage,
    metrics,
    api,
    suite,
    runReports,
    /** Stops accepting, lets running requests finish (at most `drainMs`), flushes usage and the reporter input. */
    close({ drainMs = 10_000 } = {}) {
      if (closed) return closed;
      closed = (async () => {
        clearInterval(flushTimer);
        clearInterval(pollTimer);
        try {
          unsubHeads();
        } catch {
          // the connection may be gone
        }
        await Promise.race([gw.close(), new Promise((r) => setTimeout(r, drainMs))]);
        gw.server.closeAllConnections();
        const n = usage.flush();
        await runReports(true).catch(() => {});
        log(`gateway stopped: usage flushed (${n} file(s))`);
        usage.unlock();
        await api.disconnect().catch(() => {});
      })();
      return closed;
    },
  };
}
