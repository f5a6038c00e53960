import { isIP } from 'node:net';

/**
 * Which addresses the server may open a connection to on a staff member's behalf (webhooks).
 * Loopback, private, shared (CGNAT), link-local, unique-local, multicast, unspecified, reserved
 * and documentation ranges are refused, in IPv4, IPv6 and every IPv6 form that embeds an IPv4
 * address (IPv4-mapped, IPv4-compatible, NAT64, 6to4), unless an operator allows a named range
 * (`OUTBOUND_ALLOW_CIDRS`, for on-premises receivers). Addresses are compared as bytes, so no
 * spelling (`127.1`, `2130706433`, `0x7f000001`, `[::ffff:7f00:1]`) slips past a string match:
 * callers pass what the resolver or the URL parser produced, and anything that is not an address
 * here is refused.
 */
export interface Cidr {
  readonly bytes: Uint8Array;
  readonly prefix: number;
  readonly text: string;
}

type Range = readonly [cidr: string, label: string];

const FORBIDDEN_V4: readonly Range[] = [
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
];

const FORBIDDEN_V6: readonly Range[] = [
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['100::/64', 'reserved'],
  ['2001::/23', 'reserved'], // IETF protocol assignments, Teredo (2001::/32) among them
  ['2001:db8::/32', 'documentation'],
  ['fc00::/7', 'unique-local'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local'],
  ['ff00::/8', 'multicast'],
];

/** The 4 or 16 bytes of a textual IPv4/IPv6 address (no zone), or null if it is not one. */
export function addressBytes(address: string): Uint8Array | null {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const kind = isIP(bare);
  if (kind === 4) return Uint8Array.from(bare.split('.').map(Number));
  if (kind !== 6 || bare.includes('%')) return null;
  let text = bare.toLowerCase();
  let tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    tail = dotted[1].split('.').map(Number);
    text = `${text.slice(0, -dotted[1].length)}${((tail[0] << 8) | tail[1]).toString(16)}:${((tail[2] << 8) | tail[3]).toString(16)}`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = rest === undefined ? [] : rest ? rest.split(':') : [];
  const groups =
    rest === undefined
      ? left
      : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  if (groups.length !== 8) return null;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  });
  return out;
}

export function parseCidr(text: string): Cidr | null {
  const [address, prefixText, ...more] = text.trim().split('/');
  if (more.length > 0) return null;
  const bytes = addressBytes(address);
  if (!bytes) return null;
  const max = bytes.length * 8;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return null;
  return { bytes, prefix, text: text.trim() };
}

function inCidr(bytes: Uint8Array, cidr: Cidr): boolean {
  if (bytes.length !== cidr.bytes.length) return false;
  for (let bit = 0; bit < cidr.prefix; bit += 8) {
    const bits = Math.min(8, cidr.prefix - bit);
    const mask = (0xff << (8 - bits)) & 0xff;
    if ((bytes[bit / 8] & mask) !== (cidr.bytes[bit / 8] & mask)) return false;
  }
  return true;
}

const compile = (ranges: readonly Range[]) =>
  ranges.map(([cidr, label]) => ({ cidr: parseCidr(cidr) as Cidr, label }));
const V4 = compile(FORBIDDEN_V4);
const V6 = compile(FORBIDDEN_V6);
const EMBEDDING: readonly { cidr: Cidr; offset: number; otherwise: string | null }[] = [
  { cidr: parseCidr('::ffff:0:0/96') as Cidr, offset: 12, otherwise: null }, // IPv4-mapped
  { cidr: parseCidr('::/96') as Cidr, offset: 12, otherwise: 'reserved' }, // IPv4-compatible (deprecated)
  { cidr: parseCidr('::ffff:0:0:0/96') as Cidr, offset: 12, otherwise: null }, // SIIT
  { cidr: parseCidr('64:ff9b::/96') as Cidr, offset: 12, otherwise: null }, // NAT64
  { cidr: parseCidr('64:ff9b:1::/48') as Cidr, offset: 12, otherwise: null }, // local-use NAT64
  { cidr: parseCidr('2002::/16') as Cidr, offset: 2, otherwise: null }, // 6to4
];

/** Why `address` may not be connected to (`loopback`, `private`, …), or null when it may. */
export function forbiddenRange(address: string, allowed: readonly Cidr[] = []): string | null {
  const bytes = addressBytes(address);
  if (!bytes) return 'not_an_address';
  if (allowed.some((c) => inCidr(bytes, c))) return null;
  if (bytes.length === 4) return V4.find((r) => inCidr(bytes, r.cidr))?.label ?? null;
  const own = V6.find((r) => inCidr(bytes, r.cidr));
  if (own) return own.label;
  const embedding = EMBEDDING.find((e) => inCidr(bytes, e.cidr));
  if (!embedding) return null;
  const v4 = bytes.slice(embedding.offset, embedding.offset + 4);
  if (allowed.some((c) => inCidr(v4, c))) return null;
  return V4.find((r) => inCidr(v4, r.cidr))?.label ?? embedding.otherwise;
}

/** `OUTBOUND_ALLOW_CIDRS`: comma-separated CIDRs (or single addresses); throws on a bad entry. */
export function parseAllowList(text: string | undefined): Cidr[] {
  if (!text) return [];
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const cidr = parseCidr(s);
      if (!cidr) throw new Error(`not a CIDR range: ${s}`);
      return cidr;
    });
}
