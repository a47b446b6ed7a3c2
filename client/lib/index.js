// func-client: Polkadot.js client of the FUNC provider network contracts (ink! 5).
export * from './codec.js';
export * from './errors.js';
export * from './contracts.js';
export * from './bundles.js';
export * from './chain.js';
export * from './contract.js';
export * from './events.js';
export * from './suite.js';
export * as validate from './validate.js';
export * as ops from './ops.js';
