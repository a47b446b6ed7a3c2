// Browser stand-in for node:path (POSIX rules), enough for client/lib's module-level constants.
function normalize(parts, absolute) {
  const out = [];
  for (const p of parts) {
    if (!p || p === '.') continue;
    if (p === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
    } else out.push(p);
  }
  return (absolute ? '/' : '') + out.join('/');
}
export function join(...segments) {
  const s = segments.filter(Boolean).join('/');
  return normalize(s.split('/'), s.startsWith('/')) || '.';
}
export function resolve(...segments) {
  let path = '';
  for (let i = segments.length - 1; i >= 0 && !path.startsWith('/'); i -= 1) path = `${segments[i]}/${path}`;
  return normalize(path.split('/'), true);
}
export function dirname(p) {
  const s = String(p).replace(/\/+$/, '');
  const i = s.lastIndexOf('/');
  return i <= 0 ? (s.startsWith('/') ? '/' : '.') : s.slice(0, i);
}
export function basename(p) {
  return String(p).replace(/\/+$/, '').split('/').pop();
}
export default { join, resolve, dirname, basename };
