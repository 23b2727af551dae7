/**
 * The one table of condition operators (User Guide: "IAM JSON policy elements: Condition
 * operators"). Each negated operator is its positive operator with `negated: true`; `Null` stands
 * alone because it tests presence, not values. Lookups are by lower-cased name.
 */
import type { ValueOperator } from './operator.ts';
import { stringEquals } from './operators/string/equals.ts';
import { stringEqualsIgnoreCase } from './operators/string/equals-ignore-case.ts';
import { stringLike } from './operators/string/like.ts';
import { numericEquals } from './operators/numeric/equals.ts';
import { numericLessThan } from './operators/numeric/less-than.ts';
import { numericLessThanEquals } from './operators/numeric/less-than-equals.ts';
import { numericGreaterThan } from './operators/numeric/greater-than.ts';
import { numericGreaterThanEquals } from './operators/numeric/greater-than-equals.ts';
import { dateEquals } from './operators/date/equals.ts';
import { dateLessThan } from './operators/date/less-than.ts';
import { dateLessThanEquals } from './operators/date/less-than-equals.ts';
import { dateGreaterThan } from './operators/date/greater-than.ts';
import { dateGreaterThanEquals } from './operators/date/greater-than-equals.ts';
import { bool } from './operators/bool.ts';
import { binaryEquals } from './operators/binary-equals.ts';
import { ipAddress } from './operators/ip-address.ts';
import { arnEquals, arnLike } from './operators/arn/like.ts';

/** A registered operator name. */
export type RegistryEntry =
  | { readonly kind: 'value'; readonly name: string; readonly op: ValueOperator; readonly negated: boolean }
  | { readonly kind: 'null'; readonly name: 'Null' };

const value = <P, R>(name: string, op: ValueOperator<P, R>, negated = false): RegistryEntry => ({
  kind: 'value',
  name,
  op: op as unknown as ValueOperator,
  negated,
});

const ENTRIES: readonly RegistryEntry[] = [
  value('StringEquals', stringEquals),
  value('StringNotEquals', stringEquals, true),
  value('StringEqualsIgnoreCase', stringEqualsIgnoreCase),
  value('StringNotEqualsIgnoreCase', stringEqualsIgnoreCase, true),
  value('StringLike', stringLike),
  value('StringNotLike', stringLike, true),
  value('NumericEquals', numericEquals),
  value('NumericNotEquals', numericEquals, true),
  value('NumericLessThan', numericLessThan),
  value('NumericLessThanEquals', numericLessThanEquals),
  value('NumericGreaterThan', numericGreaterThan),
  value('NumericGreaterThanEquals', numericGreaterThanEquals),
  value('DateEquals', dateEquals),
  value('DateNotEquals', dateEquals, true),
  value('DateLessThan', dateLessThan),
  value('DateLessThanEquals', dateLessThanEquals),
  value('DateGreaterThan', dateGreaterThan),
  value('DateGreaterThanEquals', dateGreaterThanEquals),
  value('Bool', bool),
  value('BinaryEquals', binaryEquals),
  value('IpAddress', ipAddress),
  value('NotIpAddress', ipAddress, true),
  value('ArnEquals', arnEquals),
  value('ArnLike', arnLike),
  value('ArnNotEquals', arnEquals, true),
  value('ArnNotLike', arnLike, true),
  { kind: 'null', name: 'Null' },
];

const BY_NAME: ReadonlyMap<string, RegistryEntry> = new Map(ENTRIES.map((e) => [e.name.toLowerCase(), e]));

/** Find a base operator (no qualifier, no `IfExists`) by name, ignoring case. */
export function lookupOperator(name: string): RegistryEntry | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Every registered base operator name, in the User Guide's order. */
export const OPERATOR_NAMES: readonly string[] = ENTRIES.map((e) => e.name);
