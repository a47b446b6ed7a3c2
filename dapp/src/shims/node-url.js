// Browser stand-in for node:url.
export function fileURLToPath(u) {
  return new URL(String(u)).pathname;
}
export function pathToFileURL(p) {
  return new URL(`file://${p}`);
}
export default { fileURLToPath, pathToFileURL };
