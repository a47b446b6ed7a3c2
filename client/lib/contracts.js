// The five contracts of the FUNC suite, in deployment order: the project's one list of them
// (contracts/<name>/ each). The client, the dapp (bundled for the browser, so this module
// imports nothing) and the shell scripts (scripts/lib.sh reads this file with sed, without
// Node) all take it from here.
//
// Deployment order: func_token, epoch_controller, then the provider_staking code (uploaded, not
// instantiated: model_router needs its code hash and instantiates one pool per model), then
// model_router, then provider_registry (it needs the router).
//
// Format read by scripts/lib.sh: one quoted name per line between the two lines below.
export const CONTRACT_NAMES = Object.freeze([
  'func_token',
  'epoch_controller',
  'provider_staking',
  'model_router',
  'provider_registry',
]);

/** The contract deployed as code only (one instance per model, created by the router). */
export const POOL_CONTRACT = 'provider_staking';

/** The contracts with one address each in a deployment file (all but the pool code). */
export const ADDRESSED_CONTRACTS = Object.freeze(CONTRACT_NAMES.filter((n) => n !== POOL_CONTRACT));
