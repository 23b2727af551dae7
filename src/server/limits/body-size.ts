/**
 * Request body size limit for HTTP: a declared Content-Length over the limit is refused before a
 * byte is read; a body without one (chunked) is counted as it streams and cut at the limit.
 * WebSocket messages get the same ceiling through ws's `maxPayload` (see websocket.ts).
 */
import type { Plugin } from 'graphql-yoga';
import { LIMIT_CODES, limitError } from './errors.ts';

/** The error for a body over `limit` bytes (HTTP 413). */
export function bodyTooLarge(limit: number, declared?: number): Error {
  const measured = declared === undefined ? `more than ${limit}` : String(declared);
  return limitError(LIMIT_CODES.bodySize, `request body of ${measured} bytes exceeds the limit of ${limit} bytes`, {
    limit,
    status: 413,
  });
}

/** Yoga plugin refusing request bodies larger than `limit` bytes with 413 PAYLOAD_TOO_LARGE. */
export function useBodySizeLimit(limit: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      const header = request.headers.get('content-length');
      if (header !== null && /^\d+$/.test(header)) {
        if (Number(header) > limit) throw bodyTooLarge(limit, Number(header));
        // Node's HTTP parser delivers exactly Content-Length bytes (and refuses a request that also
        // says chunked), so a declared length within the limit needs no counting stream; that
        // stream and the Request copy it needs cost about a tenth of a small request's CPU.
        return;
      }
      if (requestParser === undefined || request.body === null) return;
      const parse = requestParser;
      setRequestParser((original) => parse(limitedRequest(original, limit)));
    },
  };
}

/** A copy of `request` whose body stream errors once more than `limit` bytes have passed. */
function limitedRequest(request: Request, limit: number): Request {
  const body = request.body;
  if (body === null) return request;
  let seen = 0;
  const counted = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(bodyTooLarge(limit));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body: counted,
    // Node's fetch needs this for a streamed body.
    duplex: 'half',
  } as RequestInit);
}
