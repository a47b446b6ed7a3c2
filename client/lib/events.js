// Decoding contract events of a whole transaction, each with the emitting contract's own ABI.
//
// `ContractSubmittableResult.contractEvents` only lists the called contract's events; a call
// into the registry also emits events from a staking pool and the token. We read every
// `contracts.ContractEmitted` record of the extrinsic and pick the ABI by the emitting address:
// known addresses first, else the address's code hash (so pools created by the router decode
// with the provider_staking ABI without being listed anywhere).
import { formatFunc, plain, show, showBytes, snake } from './codec.js';
import { describeError } from './errors.js';

export class EventDecoder {
  /**
   * @param {import('@polkadot/api').ApiPromise} api
   * @param {Record<string, import('@polkadot/api-contract').Abi>} abis contract name → Abi
   * @param {Record<string, string>} codeHashes contract name → code hash (hex)
   */
  constructor(api, abis, codeHashes = {}) {
    this.api = api;
    this.abis = abis;
    this.byAddress = new Map(); // address → name
    this.byCodeHash = new Map(Object.entries(codeHashes).map(([n, h]) => [String(h).toLowerCase(), n]));
  }

  /** Names a contract address (e.g. a pool address learned from `provider_staking(model_id)`). */
  addAddress(address, name) {
    this.byAddress.set(String(address), name);
  }

  addCodeHash(codeHash, name) {
    this.byCodeHash.set(String(codeHash).toLowerCase(), name);
  }

  /** Contract name of `address`, by the known list or by its on-chain code hash. */
  async nameOf(address) {
    const key = String(address);
    if (this.byAddress.has(key)) return this.byAddress.get(key);
    try {
      const info = await this.api.query.contracts.contractInfoOf(key);
      if (info.isSome) {
        const hash = info.unwrap().codeHash.toHex().toLowerCase();
        const name = this.byCodeHash.get(hash);
        if (name) {
          this.byAddress.set(key, name);
          return name;
        }
      }
    } catch {
      // unknown
    }
    return null;
  }

  /**
   * Decodes one `contracts.ContractEmitted` record.
   * @returns {{contract: string|null, address: string, name: string, identifier: string, args: object}}
   */
  async decode(record) {
    const address = record.event.data[0].toString();
    const contract = await this.nameOf(address);
    const candidates = contract ? [contract] : Object.keys(this.abis);
    for (const name of candidates) {
      const abi = this.abis[name];
      if (!abi) continue;
      try {
        const decoded = abi.decodeEvent(record);
        const args = {};
        const funcAmounts = [];
        const isToken = (contract ?? name) === 'func_token';
        decoded.event.args.forEach((a, i) => {
          const key = snake(a.name);
          args[key] = plain(decoded.args[i]);
          const t = a.type?.displayName ?? a.type?.type;
          if (t === 'Balance' || (isToken && (key === 'value' || key === 'amount'))) funcAmounts.push(key);
        });
        const identifier = decoded.event.identifier;
        return { contract: contract ?? name, address, name: identifier.split('::').pop(), identifier, args, funcAmounts };
      } catch {
        // try the next ABI
      }
    }
    return { contract, address, name: 'UnknownEvent', identifier: 'UnknownEvent', args: { data: record.event.data[1].toHex() } };
  }

  /** Decodes every contract event among an extrinsic's `events` (EventRecord[]), in order. */
  async decodeAll(records = []) {
    const out = [];
    for (const record of records) {
      const { event } = record;
      if (event.section === 'contracts' && event.method === 'Instantiated') {
        // the router instantiating a model's pool: remember nothing yet, the code hash resolves it
        continue;
      }
      if (event.section === 'contracts' && event.method === 'ContractEmitted') out.push(await this.decode(record));
    }
    return out;
  }
}

/** `ProviderRegistered (provider_registry) id: "node-1", model_id: 1, …` */
export function formatEvent(ev) {
  const amounts = new Set(ev.funcAmounts ?? []);
  const args = Object.entries(ev.args)
    .map(([k, v]) => {
      if (amounts.has(k) && typeof v === 'bigint') return `${k}: ${formatFunc(v)}`;
      // cluster events: failed = [(id, StakingError)] → "id (reason)"
      if (k === 'failed' && Array.isArray(v)) {
        return `${k}: [${v.map(([id, err]) => `${showBytes(id)} (${describeError('StakingError', err)})`).join(', ')}]`;
      }
      return `${k}: ${show(v)}`;
    })
    .join(', ');
  return `${ev.name} [${ev.contract ?? ev.address}] ${args}`;
}
