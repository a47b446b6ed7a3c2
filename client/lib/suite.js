// The deployed suite: the five contracts' handles from a deployment file, and `deploy`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Abi } from '@polkadot/api-contract';
import { randomAsHex } from '@polkadot/util-crypto';
import { CONTRACT_NAMES, REPO_ROOT } from './bundles.js';
import { bestBlock, gasWithMargin, maxWeight, submit } from './chain.js';
import { ContractHandle, bytesAsHex, decodeOutcome, isRevert, resolveConstructor } from './contract.js';
import { EventDecoder, formatEvent } from './events.js';
import { UserError, snake, toJson } from './codec.js';
import { ContractError, describeDispatchError, dispatchErrorKey } from './errors.js';

/** Default folder of deployment files: $FUNC_DEPLOYMENTS, else <repo>/deployments. */
export function deploymentsDir(env = process.env) {
  return env.FUNC_DEPLOYMENTS ? resolve(env.FUNC_DEPLOYMENTS) : join(REPO_ROOT, 'deployments');
}

/** `deployments/<network>.json`. */
export function deploymentPath(network = 'local', env = process.env) {
  return join(deploymentsDir(env), `${network}.json`);
}

export function readDeployment(path) {
  if (!existsSync(path)) {
    throw new UserError(`no deployment file at ${path}: deploy first (func deploy) or pass --deployment <file>`);
  }
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UserError(`cannot read deployment file ${path}: ${e.message}`);
  }
}

export function writeDeployment(path, deployment) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${toJson(deployment)}\n`);
}

/** The access-control roles (`Role` enum of func_interfaces). */
export const ROLES = ['Whitelister', 'Scheduler', 'ModelCreator', 'Pauser'];

export function parseRole(text) {
  const r = ROLES.find((x) => x.toLowerCase() === String(text).toLowerCase().replace(/[-_ ]/g, ''));
  if (!r) throw new UserError(`unknown role "${text}": one of ${ROLES.join(', ')}`);
  return r;
}

/**
 * Connection-bound view of a deployment: `suite.token`, `.epoch`, `.router`, `.registry`,
 * `await suite.pool(modelId)`; `suite.events` decodes events of all of them.
 */
export class Suite {
  constructor(api, signer, bundles, deployment = null) {
    this.api = api;
    this.signer = signer;
    this.bundles = bundles;
    this.deployment = deployment;
    const props = api.registry.getChainProperties();
    this.abis = Object.fromEntries(Object.entries(bundles).map(([n, b]) => [n, new Abi(b, props)]));
    const hashes = Object.fromEntries(Object.entries(bundles).map(([n, b]) => [n, b.source.hash]));
    this.events = new EventDecoder(api, this.abis, hashes);
    this.handles = {};
    this.pools = new Map();
    if (deployment) this.#attach(deployment);
  }

  #attach(deployment) {
    for (const name of CONTRACT_NAMES) {
      const entry = deployment.contracts?.[name];
      if (entry?.address) this.#handle(name, entry.address);
      if (entry?.codeHash) this.events.addCodeHash(entry.codeHash, name);
    }
  }

  #handle(name, address) {
    const h = new ContractHandle(this, name, this.abis[name], address);
    this.handles[name] = h;
    this.events.addAddress(address, name);
    return h;
  }

  #need(name) {
    const h = this.handles[name];
    if (!h) throw new UserError(`the deployment has no ${name} address`);
    return h;
  }

  get token() {
    return this.#need('func_token');
  }

  get epoch() {
    return this.#need('epoch_controller');
  }

  get router() {
    return this.#need('model_router');
  }

  get registry() {
    return this.#need('provider_registry');
  }

  /** A handle on any address with a given contract's ABI. */
  at(name, address) {
    const h = new ContractHandle(this, name, this.abis[name], address);
    this.events.addAddress(address, name);
    return h;
  }

  /** The staking pool of `modelId`, found with the router's `provider_staking(model_id)`. */
  async pool(modelId) {
    const key = Number(modelId);
    if (this.pools.has(key)) return this.pools.get(key);
    const address = await this.router.query('provider_staking', [key]);
    if (!address) throw new UserError(`no model ${key}: the router has no staking pool for it`);
    const h = this.at('provider_staking', address);
    this.pools.set(key, h);
    return h;
  }
}

// --- deployment ---------------------------------------------------------------------------

/** Builds a constructor's argument list from named values (snake_case keys, with aliases). */
export function argsByName(ctor, values, contractName) {
  return ctor.args.map((a) => {
    const key = snake(a.name);
    if (key in values && values[key] !== undefined) return values[key];
    throw new UserError(`${contractName}.${ctor.identifier} needs "${key}", which deploy does not know how to fill`);
  });
}

/** Uploads a bundle's Wasm unless the chain has it; returns the code hash. */
export async function uploadCode(api, signer, name, bundle, { onProgress } = {}) {
  const codeHash = bundle.source.hash;
  const q = api.query.contracts;
  let present = false;
  if (q.codeInfoOf) present = (await q.codeInfoOf(codeHash)).isSome;
  else if (q.pristineCode) present = (await q.pristineCode.size(codeHash)).toNumber() > 0;
  if (present) {
    onProgress?.(`  = ${name}: code ${codeHash.slice(0, 10)}… already on chain`);
    return codeHash;
  }
  const wasm = bundle.source.wasm;
  onProgress?.(`  … uploading ${name} code (${Math.round((wasm.length - 2) / 2 / 1024)} KiB)`);
  const args = [wasm, null];
  if (api.tx.contracts.uploadCode.meta.args.length >= 3) args.push('Enforced');
  await submit(api, api.tx.contracts.uploadCode(...args), signer, { label: `upload ${name}` });
  return codeHash;
}

/** Instantiates `codeHash` with constructor `ctorName(args)`; returns `{ address, blockNumber, events }`. */
export async function instantiate(suiteLike, name, codeHash, ctorName, args, { onProgress, value = 0n } = {}) {
  const { api, signer } = suiteLike;
  const abi = suiteLike.abis[name];
  const ctor = resolveConstructor(abi, ctorName);
  const data = ctor.toU8a(args.map(bytesAsHex)); // length-prefixed: Bytes reads a Uint8Array with its prefix
  const salt = randomAsHex(32);
  const dry = await api.call.contractsApi.instantiate(signer.address, value, maxWeight(api), null, { Existing: codeHash }, data, salt);
  if (dry.result.isErr) {
    throw new ContractError(`instantiating ${name} failed: ${describeDispatchError(dry.result.asErr, api.registry)}`, {
      dispatch: dispatchErrorKey(dry.result.asErr, api.registry),
    });
  }
  const ret = dry.result.asOk.result;
  if (isRevert(ret.flags)) {
    const outcome = decodeOutcome(abi, ctor, { result: { isErr: false, asOk: ret }, debugMessage: dry.debugMessage }, { contractName: name, api });
    throw new ContractError(`${name}.${ctor.identifier} refused: ${outcome.reason ?? 'the constructor reverted'}`, outcome);
  }
  onProgress?.(`  … instantiating ${name}`);
  const tx = api.tx.contracts.instantiate(value, gasWithMargin(api, dry.gasRequired), null, codeHash, data, salt);
  const inc = await submit(api, tx, signer, { label: `instantiate ${name}` });
  const ev = inc.events.find(({ event }) => event.section === 'contracts' && event.method === 'Instantiated');
  if (!ev) throw new ContractError(`instantiate ${name}: no contracts.Instantiated event in block ${inc.blockNumber}`);
  const address = ev.event.data[1].toString();
  return { address, blockNumber: inc.blockNumber, events: inc.events };
}

export const DEFAULT_PARAMETERS = {
  total_supply: 1_000_000_000n * 10n ** 18n,
  epoch_length: 5,
  first_epoch_block: 0, // 0: epoch 1 starts at the epoch controller's instantiation block
  min_epochs_locked: 2,
  epoch_reward_delay: 2,
  auto_whitelist: false,
};

/** Which contracts hold each role (Scheduler lives on each model's pool, granted by create-model). */
export const ROLE_CONTRACTS = {
  Whitelister: ['provider_registry'],
  ModelCreator: ['model_router'],
  Pauser: ['provider_registry', 'model_router', 'epoch_controller', 'func_token'],
  Scheduler: [],
};

/**
 * Deploys and wires the suite:
 *   func_token new(total_supply) → epoch_controller new(epoch_length, first_epoch_block,
 *   min_epochs_locked, epoch_reward_delay) → upload provider_staking code → model_router
 *   new(token, epoch_controller, staking_code_hash) → provider_registry new(router,
 *   epoch_controller, auto_whitelist) → router set_provider_registry(registry) → role grants.
 * @param {object} opts `{ api, signer, bundles, network, url, parameters, roles: [{role, account}], onProgress }`
 * @returns {Promise<{suite: Suite, deployment: object, events: object[]}>}
 */
export async function deploy({ api, signer, bundles, network = 'local', url, parameters = {}, roles = [], onProgress = () => {} }) {
  const p = { ...DEFAULT_PARAMETERS, ...Object.fromEntries(Object.entries(parameters).filter(([, v]) => v !== undefined)) };
  if (p.first_epoch_block === null || p.first_epoch_block === undefined) p.first_epoch_block = 0;
  const suite = new Suite(api, signer, bundles, null);
  const startBlock = await bestBlock(api);
  const contracts = {};
  const events = []; // every contract event of the deployment, decoded
  const step = async (title, fn) => {
    const t0 = Date.now();
    onProgress(`▸ ${title}`);
    const r = await fn();
    onProgress(`  ✓ ${title} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
    return r;
  };
  const deployOne = (name, values) =>
    step(`deploy ${name}`, async () => {
      const codeHash = await uploadCode(api, signer, name, bundles[name], { onProgress });
      const ctor = resolveConstructor(suite.abis[name], 'new');
      const args = argsByName(ctor, values, name);
      const r = await instantiate(suite, name, codeHash, 'new', args, { onProgress });
      contracts[name] = { address: r.address, codeHash, block: r.blockNumber };
      onProgress(`    ${name} at ${r.address}`);
      suite.events.addAddress(r.address, name);
      for (const ev of await suite.events.decodeAll(r.events)) {
        events.push(ev);
        onProgress(`    event ${formatEvent(ev)}`);
      }
      return r.address;
    });

  const token = await deployOne('func_token', { total_supply: p.total_supply, supply: p.total_supply, initial_supply: p.total_supply });
  const epoch = await deployOne('epoch_controller', {
    epoch_length: p.epoch_length,
    first_epoch_block: p.first_epoch_block,
    min_epochs_locked: p.min_epochs_locked,
    epoch_reward_delay: p.epoch_reward_delay,
  });
  const stakingCodeHash = await step('upload provider_staking code', () => uploadCode(api, signer, 'provider_staking', bundles.provider_staking, { onProgress }));
  contracts.provider_staking = { codeHash: stakingCodeHash };
  const router = await deployOne('model_router', {
    token,
    func_token: token,
    epoch_controller: epoch,
    staking_code_hash: stakingCodeHash,
    provider_staking_code_hash: stakingCodeHash,
    pool_code_hash: stakingCodeHash,
  });
  const registry = await deployOne('provider_registry', {
    router,
    model_router: router,
    epoch_controller: epoch,
    auto_whitelist: p.auto_whitelist,
    automatic_whitelist: p.auto_whitelist,
  });

  const deployment = {
    network,
    url,
    chain: (await api.rpc.system.chain()).toString(),
    genesisHash: api.genesisHash.toHex(),
    deployer: signer.address,
    deployedAt: { block: startBlock, time: new Date().toISOString() },
    contracts,
    parameters: {
      total_supply: p.total_supply.toString(),
      epoch_length: p.epoch_length,
      first_epoch_block: p.first_epoch_block,
      min_epochs_locked: p.min_epochs_locked,
      epoch_reward_delay: p.epoch_reward_delay,
      auto_whitelist: p.auto_whitelist,
    },
    roles: [],
    models: {},
  };
  const wired = new Suite(api, signer, bundles, deployment);
  const start = await wired.epoch.tryQuery('epoch_start_block', [1]);
  if (start.ok && start.value !== null) deployment.parameters.first_epoch_block = Number(start.value);
  const wire = await step('wire: model_router.set_provider_registry(registry)', () => wired.router.tx('set_provider_registry', [registry]));
  events.push(...wire.events);
  for (const { role, account } of roles) {
    const r = parseRole(role);
    for (const name of ROLE_CONTRACTS[r]) {
      if (!wired.handles[name]) continue;
      try {
        wired.handles[name].message('grant_role');
        if (r === 'Pauser') wired.handles[name].message('pause'); // only where there is something to pause
      } catch {
        continue; // this contract has no access control
      }
      const g = await step(`grant ${r} to ${account} on ${name}`, () => wired.handles[name].tx('grant_role', [r, account]));
      events.push(...g.events);
    }
    deployment.roles.push({ role: r, account });
  }
  deployment.deployedAt.lastBlock = await bestBlock(api);
  return { suite: wired, deployment, events };
}
