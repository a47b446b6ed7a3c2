#!/usr/bin/env node
// func: command-line client of the FUNC provider network contracts.
// Run `func help` (or `node client/bin/func.js help`) for the commands.
import { parseArgs } from 'node:util';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto';
import {
  ContractError,
  DEFAULT_URL,
  Suite,
  UserError,
  advanceBlocks,
  bestBlock,
  connect,
  defaultArtifactsDir,
  deploy,
  deploymentPath,
  formatEvent,
  formatFunc,
  loadBundles,
  parseAmount,
  parseIntArg,
  readDeployment,
  show,
  showBytes,
  signerFromUri,
  toJson,
  writeDeployment,
  describeError,
  ops,
} from '../lib/index.js';
import { historyCommand } from '../lib/history.js';

const USAGE = `func — FUNC provider network client (ink! contracts on a Substrate contracts chain)

Usage: func <command> [arguments] [options]

Provider commands
  register <id> --model N --provider-url URL [--name NAME]   register a provider (seed 1A step 1)
        (or --metadata '{"url":"https://…","name":"…"}')
  approve --model N [--amount A]          approve the model's staking pool (default: the stake amount)
  stake <id> [--no-approve]               approve the pool for the model's stake amount, then stake_for_provider
  register-and-stake <id> --model N --provider-url URL [--name NAME] [--no-approve]
                                          approve the pool, then register_and_stake (seed 1B)
  unstake <id>                            unstake_provider: the whole stake back to the owner after the lock
  claim <id> [--from E] [--to E]          claim_rewards (default: epoch 1 to the last claimable epoch)
  claim-cluster [--from E] [--to E]       claim for every provider the signer owns
  unstake-cluster                         unstake every provider the signer owns
  update-metadata <id> --provider-url URL [--name NAME] | --metadata JSON
  deactivate <id> | reactivate <id>
  deregister <id>                         free an unstaked id (rewards earned with it stay yours)
  claim-former <id> --model N [--from E] [--to E]
                                          claim what you earned with an id you no longer hold
  status <id>                             provider record, active flag, stake, rewards, epoch
  providers --model N [--page-size P]     active providers of a model with their URLs
  epoch                                   current epoch, next epoch block, last claimable epoch
  balance [account]                       FUNC balance (default: the signer)
  history (--account ACC | --provider ID) [--from-block B] [--to-block B] [--json]
                                          stakes, unstakes, claims and reports from the suite's events
                                          (a table, or JSON lines with --json; old blocks need an archive node)

Admin commands
  deploy [--network NAME] [--total-supply A] [--epoch-length B] [--first-epoch-block B]
         [--min-epochs-locked N] [--epoch-reward-delay N] [--auto-whitelist]
         [--whitelister ACC] [--scheduler ACC] [--model-creator ACC] [--pauser ACC]
         [--artifacts DIR] [--out FILE]       upload, instantiate and wire the five contracts
  create-model <model_id> --name NAME --stake A [--shards N] [--compute-units N]
  whitelist <id>... [--remove]            whitelist providers (or remove them)
  jail <id> --epochs N | jail <id> --release
  toggle-auto-whitelist
  set-epoch-rewards --model N --epoch E --total A --total-shards S --shards id=n[,id=n…]
                                          scheduler report of an ended epoch
  close-epochs --model N --through E      scheduler: close every unreported epoch up to E as empty
  suspend-reports --model N [--resume]    pool owner: stop the scheduler's reports (nothing becomes
                                          final meanwhile), or resume them with fresh correction windows
  fund-rewards --model N --amount A       approve the pool and fund its rewards
  withdraw-unreserved --model N --amount A [--recipient ACC]
                                          pool owner: take unreserved reward funds out
  withdraw-excess --model N --amount A [--recipient ACC]
                                          pool owner: recover FUNC sent to the pool by a plain transfer
  release-provider <id>                   whitelister: return the stake to its owner and free the id
  pause [registry|router|epoch|pool:N|all]... [--unpause]
  grant-role <Whitelister|Scheduler|ModelCreator|Pauser> <account> --contract registry|router|epoch|pool:N
  transfer <account> <amount>             send FUNC
  advance (--blocks N | --to-epoch E)     produce blocks on a dev chain

Scheduler daemon (its own options: func reporter --help)
  reporter --url WS --deployment FILE --source DIR [--once] [--metrics-port PORT]
                                          report every ended epoch from <DIR>/<model_id>/<epoch>.json;
                                          key from FUNC_SURI or --suri-file

Gateway commands (their own options: func gateway --help, func demo-provider --help)
  gateway --url WS --deployment FILE --listen HOST:PORT --usage DIR [--allow-private] [--models 1,2]
                                          route inference requests to active providers; write usage
  demo-provider --listen HOST:PORT [--name N]   a DEMO inference server (echo) for devnets and tests

Common options
  --url ws://…|wss://…     node endpoint (default $FUNC_URL or ${DEFAULT_URL})
  --suri URI               signer: //Alice, a mnemonic, a hex seed (default $FUNC_SURI or //Alice)
  --deployment FILE        deployment file (default deployments/<network>.json)
  --network NAME           deployment name (default $FUNC_NETWORK or "local")
  --artifacts DIR          .contract bundles (default $CARGO_TARGET_DIR/ink or target/ink)
  --raw                    amounts are in base units (default: FUNC, 18 decimals, e.g. 1000 or 0.5)
  --hex-id                 provider ids are 0x… hex bytes (default: the UTF-8 bytes of the string)
  --json                   print the result as JSON
  --quiet                  no progress lines

Accounts may be SS58 addresses or dev URIs such as //Bob.
`;

const OPTIONS = {
  url: { type: 'string' },
  suri: { type: 'string' },
  deployment: { type: 'string' },
  network: { type: 'string' },
  artifacts: { type: 'string' },
  out: { type: 'string' },
  raw: { type: 'boolean' },
  'hex-id': { type: 'boolean' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  model: { type: 'string' },
  'provider-url': { type: 'string' },
  name: { type: 'string' },
  metadata: { type: 'string' },
  amount: { type: 'string' },
  'no-approve': { type: 'boolean' },
  from: { type: 'string' },
  to: { type: 'string' },
  recipient: { type: 'string' },
  'page-size': { type: 'string' },
  'total-supply': { type: 'string' },
  'epoch-length': { type: 'string' },
  'first-epoch-block': { type: 'string' },
  'min-epochs-locked': { type: 'string' },
  'epoch-reward-delay': { type: 'string' },
  'auto-whitelist': { type: 'boolean' },
  whitelister: { type: 'string', multiple: true },
  scheduler: { type: 'string', multiple: true },
  'model-creator': { type: 'string', multiple: true },
  pauser: { type: 'string', multiple: true },
  stake: { type: 'string' },
  shards: { type: 'string' },
  'compute-units': { type: 'string' },
  remove: { type: 'boolean' },
  epochs: { type: 'string' },
  release: { type: 'boolean' },
  epoch: { type: 'string' },
  total: { type: 'string' },
  'total-shards': { type: 'string' },
  unpause: { type: 'boolean' },
  contract: { type: 'string' },
  blocks: { type: 'string' },
  'to-epoch': { type: 'string' },
  account: { type: 'string' },
  provider: { type: 'string' },
  'from-block': { type: 'string' },
  'to-block': { type: 'string' },
  through: { type: 'string' },
  resume: { type: 'boolean' },
};

let quiet = false;
let jsonOut = false;
const progress = (line) => {
  if (!quiet) process.stderr.write(`${line}\n`);
};

/** SS58 address or a dev URI (//Bob) → address. */
function account(text, what = 'account') {
  if (!text) throw new UserError(`missing ${what}`);
  if (String(text).startsWith('//')) return new Keyring({ type: 'sr25519' }).addFromUri(text).address;
  try {
    decodeAddress(text);
    return text;
  } catch {
    throw new UserError(`${what} "${text}" is not an SS58 address or a dev URI like //Bob`);
  }
}

function need(value, flag) {
  if (value === undefined || value === null || value === '') throw new UserError(`missing ${flag}`);
  return value;
}

function printEvents(events) {
  if (jsonOut || !events?.length) return;
  console.log('events:');
  for (const ev of events) console.log(`  ${formatEvent(ev)}`);
}

function output(result, human) {
  if (jsonOut) console.log(toJson(result));
  else if (human) human();
}

/** Connects, loads the bundles and the deployment. */
async function open(values, { withDeployment = true } = {}) {
  const url = values.url ?? process.env.FUNC_URL ?? DEFAULT_URL;
  const network = values.network ?? process.env.FUNC_NETWORK ?? 'local';
  const deploymentFile = values.deployment ?? process.env.FUNC_DEPLOYMENT ?? deploymentPath(network);
  const deployment = withDeployment ? readDeployment(deploymentFile) : null;
  const bundles = loadBundles(values.artifacts ?? defaultArtifactsDir());
  await cryptoWaitReady();
  const signer = signerFromUri(values.suri ?? process.env.FUNC_SURI ?? '//Alice');
  progress(`connecting to ${url} as ${signer.address}`);
  const api = await connect(url);
  if (deployment?.genesisHash && deployment.genesisHash !== api.genesisHash.toHex()) {
    await api.disconnect();
    throw new UserError(
      `${deploymentFile} was written for another chain (genesis ${deployment.genesisHash.slice(0, 10)}…, this node ${api.genesisHash.toHex().slice(0, 10)}…): deploy again or pass --deployment`,
    );
  }
  const suite = new Suite(api, signer, bundles, deployment);
  return { api, suite, url, network, deploymentFile, signer };
}

const amountOf = (text, values, flag = 'amount') => parseAmount(need(text, flag), { raw: values.raw });
const idOpts = (values) => ({ hex: values['hex-id'], onProgress: progress });
const metadataOf = (values) => ops.buildMetadata({ url: values['provider-url'], name: values.name, metadata: values.metadata });
const optEpoch = (v, what) => (v === undefined ? undefined : parseIntArg(v, what));

function printTx(r, summary) {
  output({ ...r, gasRequired: r.gasRequired?.toJSON?.(), storageDeposit: r.storageDeposit?.toJSON?.() }, () => {
    if (summary) console.log(summary);
    console.log(`in block ${r.blockNumber}`);
    printEvents(r.events);
  });
}

function clusterSummary(value, what) {
  if (!value) return '';
  const lines = [`${what}: ${formatFunc(value.total ?? 0n)}`];
  lines.push(`  succeeded: ${value.succeeded?.length ? value.succeeded.map(showBytes).join(', ') : 'none'}`);
  for (const [id, err] of value.failed ?? []) lines.push(`  failed: ${showBytes(id)} — ${describeError('StakingError', err)}`);
  return lines.join('\n');
}

const COMMANDS = {
  async deploy(values) {
    const { api, suite: s, url, network, signer } = await open(values, { withDeployment: false });
    try {
      const roles = [];
      for (const [flag, role] of [['whitelister', 'Whitelister'], ['scheduler', 'Scheduler'], ['model-creator', 'ModelCreator'], ['pauser', 'Pauser']]) {
        for (const a of values[flag] ?? []) roles.push({ role, account: account(a, `--${flag}`) });
      }
      const parameters = {
        total_supply: values['total-supply'] !== undefined ? amountOf(values['total-supply'], values) : undefined,
        epoch_length: optEpoch(values['epoch-length'], '--epoch-length'),
        first_epoch_block: optEpoch(values['first-epoch-block'], '--first-epoch-block'),
        min_epochs_locked: optEpoch(values['min-epochs-locked'], '--min-epochs-locked'),
        epoch_reward_delay: optEpoch(values['epoch-reward-delay'], '--epoch-reward-delay'),
        auto_whitelist: values['auto-whitelist'] ?? undefined,
      };
      const { deployment } = await deploy({ api, signer, bundles: s.bundles, network, url, parameters, roles, onProgress: progress });
      const file = values.out ?? values.deployment ?? deploymentPath(network);
      writeDeployment(file, deployment);
      output(deployment, () => {
        console.log(`deployed the FUNC suite on ${deployment.chain} (${url}), written to ${file}`);
        for (const [name, c] of Object.entries(deployment.contracts)) {
          console.log(`  ${name.padEnd(18)} ${c.address ?? '(code only)'}  code ${c.codeHash}`);
        }
      });
    } finally {
      await api.disconnect();
    }
  },

  async 'create-model'(values, [modelId]) {
    const { api, suite, deploymentFile } = await open(values);
    try {
      const r = await ops.createModel(
        suite,
        {
          modelId: parseIntArg(modelId, 'model id'),
          name: need(values.name, '--name'),
          shards: parseIntArg(values.shards ?? '1', '--shards'),
          computeUnits: parseIntArg(values['compute-units'] ?? '1', '--compute-units'),
          stakeAmount: amountOf(values.stake, values, '--stake'),
        },
        { onProgress: progress },
      );
      writeDeployment(deploymentFile, suite.deployment);
      printTx(r, `model ${modelId} created; its staking pool is ${r.pool}`);
    } finally {
      await api.disconnect();
    }
  },

  async register(values, [id]) {
    const { api, suite } = await open(values);
    try {
      const r = await ops.register(suite, need(id, 'provider id'), parseIntArg(values.model, '--model'), metadataOf(values), idOpts(values));
      printTx(r, `provider "${id}" registered`);
    } finally {
      await api.disconnect();
    }
  },

  async 'register-and-stake'(values, [id]) {
    const { api, suite } = await open(values);
    try {
      const r = await ops.registerAndStake(suite, need(id, 'provider id'), parseIntArg(values.model, '--model'), metadataOf(values), {
        ...idOpts(values),
        approve: !values['no-approve'],
      });
      printTx(r, `provider "${id}" registered and staked (${formatFunc(r.value ?? 0n)})`);
    } finally {
      await api.disconnect();
    }
  },

  async approve(values) {
    const { api, suite } = await open(values);
    try {
      const amount = values.amount !== undefined ? amountOf(values.amount, values) : undefined;
      const r = await ops.approvePool(suite, parseIntArg(values.model, '--model'), amount, { onProgress: progress });
      printTx(r, `approved the model ${values.model} pool ${r.pool} for ${formatFunc(r.amount)}`);
    } finally {
      await api.disconnect();
    }
  },

  async stake(values, [id]) {
    const { api, suite } = await open(values);
    try {
      const r = await ops.stake(suite, need(id, 'provider id'), { ...idOpts(values), approve: !values['no-approve'] });
      printTx(r, `provider "${id}" staked ${formatFunc(r.value ?? 0n)}`);
    } finally {
      await api.disconnect();
    }
  },

  async unstake(values, [id]) {
    const { api, suite } = await open(values);
    try {
      const r = await ops.unstake(suite, need(id, 'provider id'), idOpts(values));
      printTx(r, `provider "${id}" unstaked ${formatFunc(r.value ?? 0n)}`);
    } finally {
      await api.disconnect();
    }
  },

  async claim(values, [id]) {
    const { api, suite } = await open(values);
    try {
      const r = await ops.claim(suite, need(id, 'provider id'), { ...idOpts(values), from: optEpoch(values.from, '--from'), to: optEpoch(values.to, '--to') });
      printTx(r, `provider "${id}" claimed ${formatFunc(r.value ?? 0n)}`);
    } finally {
      await api.disconnect();
    }
  },

  async 'claim-cluster'(values) {
    const { api, suite } = await open(values);
    try {
      const r = await ops.claimCluster(suite, { onProgress: progress, from: optEpoch(values.from, '--from'), to: optEpoch(values.to, '--to') });
      printTx(r, clusterSummary(r.value, 'claimed'));
    } finally {
      await api.disconnect();
    }
  },

  async 'unstake-cluster'(values) {
    const { api, suite } = await open(values);
    try {
      const r = await ops.unstakeCluster(suite, { onProgress: progress });
      printTx(r, clusterSummary(r.value, 'unstaked'));
    } finally {
      await api.disconnect();
    }
  },

  async 'update-metadata'(values, [id]) {
    const { api, suite } = await open(values);
    try {
      printTx(await ops.updateMetadata(suite, need(id, 'provider id'), metadataOf(values), idOpts(values)), `metadata of "${id}" updated`);
    } finally {
      await api.disconnect();
    }
  },

  async deactivate(values, [id]) {
    const { api, suite } = await open(values);
    try {
      printTx(await ops.deactivate(suite, need(id, 'provider id'), idOpts(values)), `provider "${id}" deactivated`);
    } finally {
      await api.disconnect();
    }
  },

  async reactivate(values, [id]) {
    const { api, suite } = await open(values);
    try {
      printTx(await ops.reactivate(suite, need(id, 'provider id'), idOpts(values)), `provider "${id}" reactivated`);
    } finally {
      await api.disconnect();
    }
  },

  async status(values, [id]) {
    const { api, suite } = await open(values);
    try {
      const s = await ops.providerStatus(suite, need(id, 'provider id'), idOpts(values));
      output(s, () => {
        const i = s.info;
        console.log(`provider "${s.id}"`);
        console.log(`  owner          ${i.owner}`);
        console.log(`  model          ${i.model_id} (pool ${s.pool})`);
        console.log(`  metadata       ${i.metadata}`);
        console.log(`  registered     block ${i.registered_at_block}, epoch ${i.registered_epoch}`);
        console.log(`  active         ${s.active ? 'yes' : 'no'}`);
        console.log(`  whitelisted    ${i.whitelisted ? 'yes' : 'no'}${Number(i.jailed_until) > s.epoch.current_epoch ? `, jailed until epoch ${i.jailed_until}` : ''}`);
        console.log(`  deactivated    ${i.deactivated ? 'yes' : 'no'}`);
        console.log(`  staked         ${formatFunc(s.staked)} of ${formatFunc(s.required)} required`);
        if (s.pending_rewards !== null) console.log(`  rewards        ${typeof s.pending_rewards === 'bigint' ? formatFunc(s.pending_rewards) : show(s.pending_rewards)}`);
        if ('last_stake_epoch' in s) {
          const open = s.epoch.current_epoch >= s.unlock_epoch;
          console.log(`  lock           staked in epoch ${s.last_stake_epoch}; ${open ? 'unstakable now' : `locked until epoch ${s.unlock_epoch}`}`);
        }
        if ('claimed_through' in s) console.log(`  claimed        through epoch ${s.claimed_through}`);
        console.log(`  epoch          ${s.epoch.current_epoch} (last claimable ${s.epoch.last_claimable_epoch})`);
      });
    } finally {
      await api.disconnect();
    }
  },

  async providers(values) {
    const { api, suite } = await open(values);
    try {
      const model = parseIntArg(values.model, '--model');
      const list = await ops.activeProviders(suite, model, { pageSize: parseIntArg(values['page-size'] ?? '100', '--page-size'), onProgress: progress });
      output(list, () => {
        console.log(`${list.length} active provider(s) of model ${model}`);
        for (const p of list) console.log(`  ${p.id}  ${p.url ?? '(no url)'}${p.name ? `  (${p.name})` : ''}`);
      });
    } finally {
      await api.disconnect();
    }
  },

  async epoch(values) {
    const { api, suite } = await open(values);
    try {
      const e = await ops.epochStatus(suite);
      output(e, () => {
        console.log(`block                 ${e.block}`);
        console.log(`current epoch         ${e.current_epoch}`);
        console.log(`next epoch block      ${e.next_epoch_block}`);
        console.log(`last claimable epoch  ${e.last_claimable_epoch}${e.last_claimable_epoch === 0 ? ' (none yet)' : ''}`);
        if (e.info) {
          console.log(`epoch length          ${e.info.epoch_length} blocks`);
          console.log(`min epochs locked     ${e.info.min_epochs_locked}`);
          console.log(`epoch reward delay    ${e.info.epoch_reward_delay}`);
        }
      });
    } finally {
      await api.disconnect();
    }
  },

  async balance(values, [who]) {
    const { api, suite, signer } = await open(values);
    try {
      const a = who ? account(who) : signer.address;
      const b = await ops.balanceOf(suite, a);
      output({ account: a, balance: b }, () => console.log(`${a}: ${formatFunc(b)}`));
    } finally {
      await api.disconnect();
    }
  },

  async history(values, rest) {
    await historyCommand(values, rest, { open, account, parseIntArg, progress });
  },

  async whitelist(values, ids) {
    const { api, suite } = await open(values);
    try {
      const r = await ops.whitelist(suite, ids, { ...idOpts(values), remove: values.remove });
      printTx(r, `${values.remove ? 'removed from' : 'added to'} the whitelist: ${ids.join(', ') || '(none)'}`);
    } finally {
      await api.disconnect();
    }
  },

  async jail(values, [id]) {
    const { api, suite } = await open(values);
    try {
      if (values.release) printTx(await ops.unjail(suite, need(id, 'provider id'), idOpts(values)), `provider "${id}" released from jail`);
      else {
        const epochs = parseIntArg(need(values.epochs, '--epochs (or --release)'), '--epochs');
        printTx(await ops.jail(suite, need(id, 'provider id'), epochs, idOpts(values)), `provider "${id}" jailed for ${epochs} epoch(s)`);
      }
    } finally {
      await api.disconnect();
    }
  },

  async 'toggle-auto-whitelist'(values) {
    const { api, suite } = await open(values);
    try {
      printTx(await ops.toggleAutoWhitelist(suite, { onProgress: progress }), 'automatic whitelist toggled');
    } finally {
      await api.disconnect();
    }
  },

  async 'set-epoch-rewards'(values) {
    const { api, suite } = await open(values);
    try {
      const shards = (values.shards ?? '')
        .split(',')
        .filter(Boolean)
        .map((pair) => {
          const i = pair.lastIndexOf('=');
          if (i <= 0) throw new UserError(`--shards entry "${pair}" is not id=shards`);
          return [pair.slice(0, i), parseIntArg(pair.slice(i + 1), `shards of ${pair.slice(0, i)}`)];
        });
      const r = await ops.setEpochRewards(
        suite,
        parseIntArg(values.model, '--model'),
        parseIntArg(values.epoch, '--epoch'),
        amountOf(values.total, values, '--total'),
        parseIntArg(need(values['total-shards'], '--total-shards'), '--total-shards'),
        shards,
        idOpts(values),
      );
      printTx(r, `epoch ${values.epoch} reported: ${values.total} FUNC over ${values['total-shards']} shards, ${shards.length} provider(s)`);
    } finally {
      await api.disconnect();
    }
  },

  async deregister(values, [id]) {
    const { api, suite } = await open(values);
    try {
      printTx(await ops.deregister(suite, need(id, 'provider id'), { ...idOpts(values), onProgress: progress }), `provider "${id}" deregistered`);
    } finally {
      await api.disconnect();
    }
  },

  async 'claim-former'(values, [id]) {
    const { api, suite } = await open(values);
    try {
      const opts = { ...idOpts(values), onProgress: progress };
      if (values.from !== undefined) opts.from = parseIntArg(values.from, '--from');
      if (values.to !== undefined) opts.to = parseIntArg(values.to, '--to');
      printTx(await ops.claimFormer(suite, need(id, 'provider id'), parseIntArg(values.model, '--model'), opts), `claimed the rewards earned with "${id}"`);
    } finally {
      await api.disconnect();
    }
  },

  async 'release-provider'(values, [id]) {
    const { api, suite } = await open(values);
    try {
      printTx(await ops.releaseProvider(suite, need(id, 'provider id'), { ...idOpts(values), onProgress: progress }), `provider "${id}" released`);
    } finally {
      await api.disconnect();
    }
  },

  async 'withdraw-unreserved'(values) {
    const { api, suite } = await open(values);
    try {
      const amount = amountOf(values.amount, values, '--amount');
      const to = values.recipient ?? suite.signer.address;
      printTx(await ops.withdrawUnreserved(suite, parseIntArg(values.model, '--model'), to, amount, { onProgress: progress }), `withdrew ${formatFunc(amount)} of unreserved reward funds to ${to}`);
    } finally {
      await api.disconnect();
    }
  },

  async 'close-epochs'(values) {
    const { api, suite } = await open(values);
    try {
      const through = parseIntArg(need(values.through, '--through'), '--through');
      printTx(await ops.closeEpochs(suite, parseIntArg(values.model, '--model'), through, { onProgress: progress }), `every unreported epoch up to ${through} closed as empty`);
    } finally {
      await api.disconnect();
    }
  },

  async 'suspend-reports'(values) {
    const { api, suite } = await open(values);
    try {
      const resume = Boolean(values.resume);
      printTx(
        await ops.suspendReports(suite, parseIntArg(values.model, '--model'), { resume, onProgress: progress }),
        resume ? 'reports resumed: every report not final yet has a fresh correction window' : 'reports suspended: nothing becomes final until --resume',
      );
    } finally {
      await api.disconnect();
    }
  },

  async 'withdraw-excess'(values) {
    const { api, suite } = await open(values);
    try {
      const amount = amountOf(values.amount, values, '--amount');
      const to = values.recipient ?? suite.signer.address;
      printTx(await ops.withdrawExcess(suite, parseIntArg(values.model, '--model'), to, amount, { onProgress: progress }), `recovered ${formatFunc(amount)} of excess FUNC to ${to}`);
    } finally {
      await api.disconnect();
    }
  },

  async 'fund-rewards'(values) {
    const { api, suite } = await open(values);
    try {
      const amount = amountOf(values.amount, values, '--amount');
      printTx(await ops.fundRewards(suite, parseIntArg(values.model, '--model'), amount, { onProgress: progress }), `funded the model ${values.model} pool with ${formatFunc(amount)}`);
    } finally {
      await api.disconnect();
    }
  },

  async pause(values, names) {
    const { api, suite } = await open(values);
    try {
      const r = await ops.pause(suite, names.length ? names : ['all'], { unpause: values.unpause, onProgress: progress });
      output(r, () => {
        console.log(`${values.unpause ? 'unpaused' : 'paused'}: ${r.contracts.join(', ')}`);
        printEvents(r.events);
      });
    } finally {
      await api.disconnect();
    }
  },

  async 'grant-role'(values, [role, who]) {
    const { api, suite } = await open(values);
    try {
      const r = await ops.grantRole(suite, need(values.contract, '--contract'), need(role, 'role'), account(who), { onProgress: progress });
      printTx(r, `granted ${role} to ${who}`);
    } finally {
      await api.disconnect();
    }
  },

  async transfer(values, [to, amount]) {
    const { api, suite } = await open(values);
    try {
      const value = amountOf(amount, values, 'amount');
      printTx(await ops.transfer(suite, account(to, 'recipient'), value, { onProgress: progress }), `sent ${formatFunc(value)} to ${to}`);
    } finally {
      await api.disconnect();
    }
  },

  async advance(values) {
    const { api, suite, signer } = await open(values);
    try {
      if (values['to-epoch'] !== undefined) {
        const target = parseIntArg(values['to-epoch'], '--to-epoch');
        const e = await ops.advanceToEpoch(suite, target, { signer, onProgress: progress });
        output({ epoch: e, block: await bestBlock(api) }, () => console.log(`now in epoch ${e}`));
      } else {
        const n = parseIntArg(need(values.blocks, '--blocks or --to-epoch'), '--blocks');
        const b = await advanceBlocks(api, n, signer, { onProgress: progress });
        output({ block: b }, () => console.log(`now at block ${b}`));
      }
    } finally {
      await api.disconnect();
    }
  },
};

async function main(argv) {
  // long-running services with their own options (client/lib/gateway/cli.js)
  if (argv[0] === 'gateway') return (await import('../lib/gateway/cli.js')).runGatewayCli(argv.slice(1));
  if (argv[0] === 'demo-provider') return (await import('../lib/gateway/cli.js')).runDemoProviderCli(argv.slice(1));
  if (argv[0] === 'reporter') return (await import('../lib/reporter.js')).runReporterCli(argv.slice(1));
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UserError(`${e.message.replace(/\. To specify a positional.*$/s, '')} (see func help)`);
  }
  const { values, positionals } = parsed;
  quiet = Boolean(values.quiet);
  jsonOut = Boolean(values.json);
  const [command, ...rest] = positionals;
  if (!command || command === 'help' || values.help) {
    console.log(USAGE);
    return;
  }
  const fn = COMMANDS[command];
  if (!fn) throw new UserError(`unknown command "${command}" (see func help)`);
  await fn(values, rest);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e) => {
    if (e instanceof UserError || e instanceof ContractError) {
      console.error(`error: ${e.message}`);
      process.exit(e instanceof ContractError ? 2 : 1);
    }
    console.error(`error: ${e?.stack ?? e}`);
    process.exit(3);
  },
);
