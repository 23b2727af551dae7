/**
 * The AuthZEN information model (Authorization API 1.0, "Information Model") as this wire reads
 * it: Subject, Resource, Action and Context, checked field by field. A malformed entity is a
 * ValidationError naming the JSON path and the rule (HTTP 400 for a whole request, a per-item
 * error inside `evaluations`); unknown fields are ignored, as the spec's forward compatibility asks.
 */
import { ValidationError } from '../errors.ts';

/** A JSON object as parsed from a request body. */
export type JsonObject = { readonly [key: string]: unknown };

/** A Subject or Resource: `type` and `id` strings, optional `properties`. */
export interface Entity {
  readonly type: string;
  readonly id: string;
  readonly properties?: JsonObject;
}

/** An Action: a `name`, optional `properties`. */
export interface Action {
  readonly name: string;
  readonly properties?: JsonObject;
}

/** A Subject or Resource of a search, whose `id` may be absent (it is ignored where the spec says so). */
export interface SearchEntity {
  readonly type: string;
  readonly id?: string;
  readonly properties?: JsonObject;
}

/** Longest `type`, `id` or action `name` accepted (an id may be a full ARN, at most 2048 characters). */
export const MAX_IDENTIFIER_LENGTH = 2_048;

/** Whether `value` is a JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` as a JSON object, or a ValidationError naming `path`. */
export function requireObject(value: unknown, path: string): JsonObject {
  if (value === undefined) throw new ValidationError(path, 'required', `${path} is required`);
  if (!isObject(value)) throw new ValidationError(path, 'type', `${path} must be a JSON object, got ${describe(value)}`);
  return value;
}

/** A required, non-empty string field of `object`. */
function requireString(object: JsonObject, key: string, path: string): string {
  const value = object[key];
  if (value === undefined || value === null) throw new ValidationError(`${path}.${key}`, 'required', `${path}.${key} is required`);
  if (typeof value !== 'string') throw new ValidationError(`${path}.${key}`, 'type', `${path}.${key} must be a string, got ${describe(value)}`);
  if (value === '' || value.length > MAX_IDENTIFIER_LENGTH) {
    throw new ValidationError(`${path}.${key}`, 'length', `${path}.${key} must be 1 to ${MAX_IDENTIFIER_LENGTH} characters`);
  }
  return value;
}

/** The optional `properties` object of an entity. */
function optionalProperties(object: JsonObject, path: string): JsonObject | undefined {
  const value = object['properties'];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new ValidationError(`${path}.properties`, 'type', `${path}.properties must be a JSON object, got ${describe(value)}`);
  return value;
}

/** Reads a Subject or Resource with both `type` and `id` (evaluations). */
export function readEntity(value: unknown, path: string): Entity {
  const object = requireObject(value, path);
  const type = requireString(object, 'type', path);
  const id = requireString(object, 'id', path);
  const properties = optionalProperties(object, path);
  // The object itself when it already has the Entity's shape (the common case: no copy per item).
  if (properties === object['properties']) return object as unknown as Entity;
  return properties === undefined ? { type, id } : { type, id, properties };
}

/** Reads a search's Subject or Resource: `type` required, `id` optional. */
export function readSearchEntity(value: unknown, path: string): SearchEntity {
  const object = requireObject(value, path);
  const type = requireString(object, 'type', path);
  const id = object['id'] == null ? undefined : requireString(object, 'id', path);
  const properties = optionalProperties(object, path);
  return { type, ...(id === undefined ? {} : { id }), ...(properties === undefined ? {} : { properties }) };
}

/** Reads an Action. */
export function readAction(value: unknown, path: string): Action {
  const object = requireObject(value, path);
  const name = requireString(object, 'name', path);
  const properties = optionalProperties(object, path);
  if (properties === object['properties']) return object as unknown as Action;
  return properties === undefined ? { name } : { name, properties };
}

/** Reads the optional Context object. */
export function readContext(value: unknown, path: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new ValidationError(path, 'type', `${path} must be a JSON object, got ${describe(value)}`);
  return value;
}

/**
 * The `minRevision` extension field: a change-log revision (digits) the answer must reflect, as
 * `authorize` takes it. Absent is fine; anything but a string is a ValidationError.
 */
export function readMinRevision(body: JsonObject): string | undefined {
  const value = body['minRevision'];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ValidationError('minRevision', 'type', `minRevision must be a string of digits, got ${describe(value)}`);
  return value;
}

/** A short description of a JSON value's kind, for messages (never the value itself). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
