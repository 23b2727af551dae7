/**
 * AuthZEN `properties` and `context` as IAM condition keys (docs/authzen.md, "Properties and
 * context"): each JSON value becomes one typed context entry, so plain IAM policies test them with
 * the usual operators. Subject properties are `aws:PrincipalTag/<name>` and resource properties
 * `aws:ResourceTag/<name>` (a value sent by the PEP stands in for the stored tag of that name),
 * action properties `authzen:action/<name>`, context members `authzen:context/<name>` (a member
 * whose name already is a condition key, `prefix:Key`, keeps it). Nested objects flatten with `/`.
 */
import type { ContextEntry, ContextKeyType } from '../authz/context-entries.ts';
import { MAX_CONTEXT_ENTRIES } from '../authz/input-caps.ts';
import { ValidationError } from '../errors.ts';
import type { JsonObject } from './entities.ts';
import { isObject } from './entities.ts';

/** Where a JSON object's members go: the condition-key prefix of each of its members. */
export const KEY_PREFIXES = {
  subject: 'aws:PrincipalTag/',
  resource: 'aws:ResourceTag/',
  action: 'authzen:action/',
  context: 'authzen:context/',
} as const;

/** The subject property whose value, when it is an IP address, is also `aws:SourceIp` (spec: "IP Address"). */
export const SUBJECT_IP_PROPERTY = 'ip_address';

/** Deepest object nesting flattened into key paths. */
export const MAX_PROPERTY_DEPTH = 4;

/** A property name (one path segment): what a condition key can spell, 1 to 128 characters. */
const PROPERTY_NAME = /^[A-Za-z0-9._:-]{1,128}$/;
/** A context member that is a condition key already: `prefix:Key`, optionally with `/`-separated parts. */
const CONDITION_KEY = /^[A-Za-z0-9-]{1,64}:[A-Za-z0-9._:/*-]{1,190}$/;
const IPV4 = /^(\d{1,3})(\.\d{1,3}){3}$/;

/** Collects entries for one question, refusing more than the engine's per-question cap. */
export class ConditionKeys {
  readonly entries: ContextEntry[] = [];

  /** Adds every member of `object` (an entity's properties, or the context) under `part`'s prefix. */
  add(part: keyof typeof KEY_PREFIXES, object: JsonObject | undefined, path: string): void {
    if (object === undefined) return;
    for (const name of Object.keys(object)) {
      const keyName = part === 'context' && CONDITION_KEY.test(name) ? name : undefined;
      if (keyName === undefined) checkName(name, `${path}.${name}`);
      this.addValue(keyName ?? `${KEY_PREFIXES[part]}${name}`, object[name], `${path}.${name}`, 1);
    }
    if (part === 'subject' && object !== undefined) {
      const ip = object[SUBJECT_IP_PROPERTY];
      if (typeof ip === 'string' && looksLikeIp(ip)) this.push({ contextKeyName: 'aws:SourceIp', contextKeyValues: [ip], contextKeyType: 'IP' }, path);
    }
  }

  private addValue(key: string, value: unknown, path: string, depth: number): void {
    if (value === null || value === undefined) return;
    if (isObject(value)) {
      if (depth >= MAX_PROPERTY_DEPTH) throw new ValidationError(path, 'depth', `${path} nests objects more than ${MAX_PROPERTY_DEPTH} levels deep`);
      for (const name of Object.keys(value)) {
        checkName(name, `${path}.${name}`);
        this.addValue(`${key}/${name}`, value[name], `${path}.${name}`, depth + 1);
      }
      return;
    }
    if (Array.isArray(value)) {
      this.push(listEntry(key, value), path);
      return;
    }
    const type = scalarType(value);
    this.push({ contextKeyName: key, contextKeyValues: [String(value)], contextKeyType: type }, path);
  }

  private push(entry: ContextEntry, path: string): void {
    if (this.entries.length >= MAX_CONTEXT_ENTRIES) {
      throw new ValidationError(path, 'max-keys', `properties and context may give at most ${MAX_CONTEXT_ENTRIES} condition keys per evaluation (${path} is one too many)`);
    }
    this.entries.push(entry);
  }
}

/** The type of a JSON scalar: string, number or boolean. */
function scalarType(value: unknown): ContextKeyType {
  if (typeof value === 'number') return 'NUMERIC';
  if (typeof value === 'boolean') return 'BOOLEAN';
  return 'STRING';
}

/**
 * An array: a `_LIST` of its scalars when they share one kind (an empty array is an empty
 * STRING_LIST), else a STRING_LIST of each element's JSON text.
 */
function listEntry(key: string, values: readonly unknown[]): ContextEntry {
  const kinds = new Set(values.map((v) => (v === null || isObject(v) || Array.isArray(v) ? 'json' : typeof v)));
  if (kinds.size === 1 && !kinds.has('json')) {
    const type = `${scalarType(values[0])}_LIST` as ContextKeyType;
    return { contextKeyName: key, contextKeyValues: values.map(String), contextKeyType: type };
  }
  return { contextKeyName: key, contextKeyValues: values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))), contextKeyType: 'STRING_LIST' };
}

function checkName(name: string, path: string): void {
  if (!PROPERTY_NAME.test(name)) {
    throw new ValidationError(path, 'property-name', `${path}: property names must be 1 to 128 letters, digits, '.', '_', ':' or '-'`);
  }
}

/** A cheap shape test; the engine's IP parser has the last word (a bad address is a 400). */
function looksLikeIp(value: string): boolean {
  return IPV4.test(value) || (value.includes(':') && /^[0-9A-Fa-f:.]+$/.test(value));
}
