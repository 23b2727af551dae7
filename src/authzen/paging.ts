/**
 * Search pagination (Authorization API 1.0, "Paged requests"): the reverse questions return their
 * full sorted answer, and the wire pages it. `page.next_token` is opaque to the client: it carries
 * the offset of the next page and a digest of the search it belongs to, so a token replayed with
 * another search is refused (400) instead of paging through the wrong answer.
 */
import { createHash } from 'node:crypto';
import { ValidationError } from '../errors.ts';
import { describe, isObject, type JsonObject } from './entities.ts';

/** Results per page when the request gives no `page.limit`. */
export const DEFAULT_PAGE_SIZE = 100;
/** Most results per page, whatever `page.limit` asks. */
export const MAX_PAGE_SIZE = 1_000;

/** Where a page starts and how long it is. */
export interface PageRequest {
  readonly offset: number;
  readonly limit: number;
}

/** The `page` object of a search response. */
export interface PageResponse {
  /** Empty on the last page. */
  readonly next_token: string;
  readonly count: number;
  readonly total: number;
}

/** A digest of the search, without its `page`: what a token is bound to. */
export function searchDigest(body: JsonObject): string {
  const { page: _page, ...search } = body;
  return createHash('sha256').update(JSON.stringify(search)).digest('base64url').slice(0, 16);
}

/**
 * Reads `page`: `limit` (1 to MAX_PAGE_SIZE; more is served as MAX_PAGE_SIZE) and the token of a
 * previous response, as `next_token` (the spec's name) or `token` (the certification harness's).
 */
export function readPage(body: JsonObject): PageRequest {
  const page = body['page'];
  if (page === undefined || page === null) return { offset: 0, limit: DEFAULT_PAGE_SIZE };
  if (!isObject(page)) throw new ValidationError('page', 'type', `page must be a JSON object, got ${describe(page)}`);
  const limit = page['limit'];
  if (limit !== undefined && limit !== null && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1)) {
    throw new ValidationError('page.limit', 'range', 'page.limit must be a positive integer');
  }
  const size = typeof limit === 'number' ? Math.min(limit, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  const token = page['next_token'] ?? page['token'];
  if (token === undefined || token === null || token === '') return { offset: 0, limit: size };
  if (typeof token !== 'string') throw new ValidationError('page.next_token', 'type', 'page.next_token must be a string from a previous response');
  return { offset: offsetOf(token, searchDigest(body)), limit: size };
}

/** One page of `items` and its `page` object. */
export function pageOf<T>(items: readonly T[], request: PageRequest, body: JsonObject): { results: T[]; page: PageResponse } {
  const results = items.slice(request.offset, request.offset + request.limit);
  const next = request.offset + results.length;
  return { results, page: { next_token: next < items.length ? tokenOf(next, searchDigest(body)) : '', count: results.length, total: items.length } };
}

function tokenOf(offset: number, digest: string): string {
  return Buffer.from(`${offset}.${digest}`).toString('base64url');
}

function offsetOf(token: string, digest: string): number {
  const [offset, bound] = Buffer.from(token, 'base64url').toString('utf8').split('.');
  if (offset === undefined || !/^\d{1,9}$/.test(offset) || bound !== digest) {
    throw new ValidationError('page.next_token', 'token', 'page.next_token is not a token this search returned');
  }
  return Number(offset);
}
