// Provider URLs are untrusted input (anyone who stakes writes one): which targets the gateway
// refuses, and the check at connect time that keeps a host from resolving to a refused
// address after it was checked (DNS rebinding).
import { lookup as dnsLookup } from 'node:dns/promises';
import { lookup as dnsLookupCb } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/** Address ranges the gateway never connects to without `--allow-private`, each with its reason. */
const RANGES = [
  // IPv4
  ['0.0.0.0', 8, 'ipv4', 'unspecified ("this network") address'],
  ['10.0.0.0', 8, 'ipv4', 'private address (10.0.0.0/8)'],
  ['100.64.0.0', 10, 'ipv4', 'shared address space (100.64.0.0/10, carrier-grade NAT)'],
  ['127.0.0.0', 8, 'ipv4', 'loopback address'],
  ['169.254.0.0', 16, 'ipv4', 'link-local address (169.254.0.0/16, cloud metadata)'],
  ['172.16.0.0', 12, 'ipv4', 'private address (172.16.0.0/12)'],
  ['192.0.0.0', 24, 'ipv4', 'IETF protocol assignment (192.0.0.0/24)'],
  ['192.0.2.0', 24, 'ipv4', 'documentation address (192.0.2.0/24)'],
  ['192.168.0.0', 16, 'ipv4', 'private address (192.168.0.0/16)'],
  ['198.18.0.0', 15, 'ipv4', 'benchmarking address (198.18.0.0/15)'],
  ['198.51.100.0', 24, 'ipv4', 'documentation address (198.51.100.0/24)'],
  ['203.0.113.0', 24, 'ipv4', 'documentation address (203.0.113.0/24)'],
  ['224.0.0.0', 4, 'ipv4', 'multicast address'],
  ['240.0.0.0', 4, 'ipv4', 'reserved address (240.0.0.0/4, broadcast)'],
  // IPv6 (IPv4-mapped and NAT64 addresses are checked by their embedded IPv4 address)
  ['::', 128, 'ipv6', 'unspecified address (::)'],
  ['::1', 128, 'ipv6', 'loopback address (::1)'],
  ['fc00::', 7, 'ipv6', 'private address (unique local, fc00::/7)'],
  ['fe80::', 10, 'ipv6', 'link-local address (fe80::/10)'],
  ['fec0::', 10, 'ipv6', 'site-local address (fec0::/10)'],
  ['ff00::', 8, 'ipv6', 'multicast address'],
  ['2001:db8::', 32, 'ipv6', 'documentation address (2001:db8::/32)'],
  ['100::', 64, 'ipv6', 'discard-only address (100::/64)'],
];

const LISTS = RANGES.map(([net, prefix, family, reason]) => {
  const list = new BlockList();
  list.addSubnet(net, prefix, family);
  return { list, family, reason };
});

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::/96) IPv6 address. */
function embeddedIpv4(ip) {
  const m = /^(?:::ffff:|64:ff9b::)(?:0+:)?([0-9.]+)$/i.exec(ip);
  if (m && isIP(m[1]) === 4) return m[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip);
  if (hex) {
    const hi = parseInt(hex[1], 16);
    const lo = parseInt(hex[2], 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return null;
}

/**
 * Why the gateway must not connect to `ip` (a sentence), or null when it is a public address.
 * Anything that is not an IP address is refused too.
 */
export function refusalReason(ip) {
  let addr = String(ip ?? '').replace(/^\[|\]$/g, '');
  const zone = addr.indexOf('%');
  if (zone >= 0) addr = addr.slice(0, zone);
  const family = isIP(addr);
  if (family === 0) return `"${ip}" is not an IP address`;
  if (family === 6) {
    const v4 = embeddedIpv4(addr);
    if (v4) {
      const r = refusalReason(v4);
      return r ? `${r} (inside IPv6 ${addr})` : null;
    }
  }
  const fam = family === 4 ? 'ipv4' : 'ipv6';
  for (const { list, family: f, reason } of LISTS) {
    if (f === fam && list.check(addr, fam)) return `${reason} ${addr}`;
  }
  return null;
}

/** A named refusal of a provider URL. */
export class RefusedTarget extends Error {
  constructor(message, { code = 'refused' } = {}) {
    super(message);
    this.name = 'RefusedTarget';
    this.code = code;
  }
}

/**
 * Parses a provider's metadata URL. Returns `{ url: URL }` or `{ refused: reason }` for what
 * is never routable (not http(s), credentials in the URL, no host).
 */
export function parseProviderUrl(text) {
  if (typeof text !== 'string' || !text) return { refused: 'the metadata has no url' };
  let u;
  try {
    u = new URL(text);
  } catch {
    return { refused: `the url "${text.slice(0, 80)}" does not parse` };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { refused: `the url scheme ${u.protocol} is not http or https` };
  if (u.username || u.password) return { refused: 'the url carries credentials (user:password@)' };
  if (!u.hostname) return { refused: 'the url has no host' };
  return { url: u };
}

/**
 * Resolves `hostname` and checks every address. Resolves with `{ addresses }` or
 * `{ refused: reason }` (a refused address, or a name that does not resolve).
 */
export async function checkHost(hostname, { allowPrivate = false, lookup = dnsLookup } = {}) {
  const host = hostname.replace(/^\[|\]$/g, '');
  let addresses;
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch (e) {
      return { refused: `the host ${host} does not resolve (${e.code ?? e.message})`, transient: true };
    }
    if (!addresses.length) return { refused: `the host ${host} resolves to no address`, transient: true };
  }
  if (!allowPrivate) {
    for (const a of addresses) {
      const reason = refusalReason(a);
      if (reason) return { refused: isIP(host) ? reason : `${host} resolves to a ${reason}` };
    }
  }
  return { addresses };
}

/**
 * A `lookup` for net.connect/tls.connect (undici's `connect.lookup`) that fails the connection
 * when the name resolves to a refused address: a host checked at refresh time cannot switch to
 * an internal address before the connection is made.
 */
export function guardedLookup({ allowPrivate = false } = {}) {
  return (hostname, options, callback) => {
    const cb = typeof options === 'function' ? options : callback;
    const opts = typeof options === 'function' ? {} : { ...options };
    dnsLookupCb(hostname, { ...opts, all: true }, (err, addresses) => {
      if (err) return cb(err);
      const list = Array.isArray(addresses) ? addresses : [{ address: addresses, family: opts.family ?? 4 }];
      if (!allowPrivate) {
        for (const a of list) {
          const reason = refusalReason(a.address);
          if (reason) {
            const e = new RefusedTarget(`${hostname} resolves to a ${reason}`, { code: 'private_target' });
            e.code = 'EFUNCREFUSED';
            return cb(e);
          }
        }
      }
      if (opts.all) return cb(null, list);
      return cb(null, list[0].address, list[0].family);
    });
  };
}
