/**
 * IPv4 and IPv6 addresses and CIDR blocks (RFC 4632 / RFC 4291 notation) for `IpAddress` and
 * `NotIpAddress`. An address is four 32-bit words (IPv4 uses the first word only); an IPv4-mapped
 * IPv6 address (`::ffff:a.b.c.d`) is treated as the IPv4 address.
 */
import { RequestParser } from '../operator.ts';

/** A parsed address or block. */
export interface IpBlock {
  readonly v6: boolean;
  readonly words: readonly number[];
  /** Prefix length; a bare address is a /32 or /128. */
  readonly prefix: number;
}

function parseV4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let word = 0;
  for (const p of parts) {
    if (p === '' || p.length > 3) return undefined;
    const n = Number(p);
    if (!Number.isInteger(n) || n < 0 || n > 255) return undefined;
    word = word * 256 + n;
  }
  return word;
}

function parseV6(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const items = s.split(':');
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (i === items.length - 1 && item.includes('.')) {
        const v4 = parseV4(item);
        if (v4 === undefined) return undefined;
        out.push(Math.floor(v4 / 65536), v4 % 65536);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(item)) return undefined;
      out.push(parseInt(item, 16));
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const words: number[] = [];
  for (let i = 0; i < 8; i += 2) words.push(all[i]! * 65536 + all[i + 1]!);
  return words;
}

/** Parse `address` or `address/prefix`; `undefined` when malformed. */
export function parseIpBlock(text: string): IpBlock | undefined {
  const t = text.trim();
  const slash = t.indexOf('/');
  const addr = slash < 0 ? t : t.slice(0, slash);
  const prefixText = slash < 0 ? undefined : t.slice(slash + 1);
  if (addr.includes(':')) {
    const words = parseV6(addr);
    if (words === undefined) return undefined;
    const prefix = prefixText === undefined ? 128 : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > 128 || prefixText === '') return undefined;
    // IPv4-mapped: ::ffff:a.b.c.d
    if (words[0] === 0 && words[1] === 0 && words[2] === 0xffff && prefix >= 96) {
      return { v6: false, words: [words[3]!], prefix: prefix - 96 };
    }
    return { v6: true, words, prefix };
  }
  const word = parseV4(addr);
  if (word === undefined) return undefined;
  const prefix = prefixText === undefined ? 32 : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32 || prefixText === '') return undefined;
  return { v6: false, words: [word], prefix };
}

/** Whether `addr` lies inside `block` (same family, first `block.prefix` bits equal). */
export function ipInBlock(addr: IpBlock, block: IpBlock): boolean {
  if (addr.v6 !== block.v6) return false;
  let bits = block.prefix;
  for (let i = 0; bits > 0; i++, bits -= 32) {
    const take = bits >= 32 ? 32 : bits;
    const shift = 32 - take; // 0..31
    // Compare the top `take` bits of the (unsigned 32-bit) word.
    if (addr.words[i]! >>> shift !== block.words[i]! >>> shift) return false;
  }
  return true;
}

/** Shared cache of parsed IP request values. */
export const ipRequest = new RequestParser(parseIpBlock);
