// Browser stand-in for node:fs: the page never reads files; client/lib only touches fs in
// Node-only helpers (loadBundles, readDeployment), which the page does not call.
const unavailable = (name) => () => {
  throw new Error(`fs.${name} is not available in the browser`);
};
export const existsSync = () => false;
export const readFileSync = unavailable('readFileSync');
export const writeFileSync = unavailable('writeFileSync');
export const mkdirSync = unavailable('mkdirSync');
export const statSync = unavailable('statSync');
export const readdirSync = unavailable('readdirSync');
export default { existsSync, readFileSync, writeFileSync, mkdirSync, statSync, readdirSync };
