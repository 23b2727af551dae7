/**
 * Recognisers for typed condition values, as the condition operators interpret them.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */

/** Numeric operators compare integers and decimals. */
export function isNumericValue(value: string): boolean {
  return /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/.test(value);
}

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Date operators take ISO 8601 dates/times (W3C profile) or epoch seconds. */
export function isDateValue(value: string): boolean {
  if (/^[0-9]{1,12}$/.test(value)) return true; // epoch seconds
  const match = ISO_DATE.exec(value);
  if (match === null) return false;
  const [, , month, day, hour, minute, second] = match;
  const inRange = (text: string | undefined, min: number, max: number): boolean =>
    text === undefined || (Number(text) >= min && Number(text) <= max);
  return inRange(month, 1, 12) && inRange(day, 1, 31) && inRange(hour, 0, 23) && inRange(minute, 0, 59) && inRange(second, 0, 60);
}

/** Bool and Null take the words true and false (AWS compares them case-insensitively). */
export function isBooleanValue(value: string): boolean {
  const folded = value.toLowerCase();
  return folded === 'true' || folded === 'false';
}

/** BinaryEquals takes base64-encoded bytes. */
export function isBase64Value(value: string): boolean {
  return value.length > 0 && value.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(value);
}

const IPV4_OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const IPV4 = new RegExp(`^${IPV4_OCTET}(?:\\.${IPV4_OCTET}){3}$`);

function isIpv6Address(value: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(value)) return false;
  const halves = value.split('::');
  if (halves.length > 2) return false;
  const groups = (part: string | undefined): string[] => (part === undefined || part === '' ? [] : part.split(':'));
  const all = [...groups(halves[0]), ...groups(halves[1])];
  let count = 0;
  for (let i = 0; i < all.length; i++) {
    const group = all[i] ?? '';
    if (i === all.length - 1 && group.includes('.')) {
      if (!IPV4.test(group)) return false; // embedded IPv4 tail, e.g. ::ffff:10.0.0.1
      count += 2;
    } else if (/^[0-9A-Fa-f]{1,4}$/.test(group)) {
      count += 1;
    } else {
      return false;
    }
  }
  return halves.length === 2 ? count < 8 : count === 8;
}

/** IpAddress and NotIpAddress take an IPv4 or IPv6 address, optionally with a CIDR prefix length. */
export function isIpRangeValue(value: string): boolean {
  const slash = value.indexOf('/');
  const address = slash < 0 ? value : value.slice(0, slash);
  const prefix = slash < 0 ? undefined : value.slice(slash + 1);
  const v4 = IPV4.test(address);
  const v6 = !v4 && isIpv6Address(address);
  if (!v4 && !v6) return false;
  if (prefix === undefined) return true;
  if (!/^[0-9]{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (v4 ? 32 : 128);
}

/** Arn* operators take an ARN (six colon-separated fields, wildcards allowed) or "*". */
export function isArnValue(value: string): boolean {
  if (value === '*') return true;
  return value.startsWith('arn:') && value.split(':').length >= 6;
}
