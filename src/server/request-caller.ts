/**
 * Each GraphQL request's caller, authenticated once and before validation. What a request may
 * learn about the schema (introspection, "Did you mean …" suggestions) depends on whether it
 * carries a valid credential, and Yoga validates a document before it builds the context; so the
 * credential is checked in `onParams`, the context factory reuses the answer, and a present but
 * invalid credential is refused with 401 before the document is even validated.
 */
import type { Plugin } from 'graphql-yoga';
import type { Caller } from '../authz/caller.ts';
import type { AuthzRuntime } from '../authz/runtime.ts';
import { wireError } from '../graphql/wire-errors.ts';

/** Callers by request object (HTTP: Yoga's Request; graphql-ws: the per-operation Request). */
export class RequestCallers {
  private readonly pending = new WeakMap<Request, Promise<Caller | undefined>>();
  private readonly authenticated = new WeakSet<Request>();

  constructor(private readonly authz: AuthzRuntime) {}

  /** The caller behind `request`'s Authorization header (undefined: anonymous); throws UnauthenticatedError for a bad one. */
  of(request: Request): Promise<Caller | undefined> {
    let pending = this.pending.get(request);
    if (pending === undefined) {
      pending = this.authenticate(request);
      this.pending.set(request, pending);
    }
    return pending;
  }

  /** Whether `request` has been authenticated as somebody; false for anonymous and not yet checked requests. */
  isAuthenticated(request: Request | undefined): boolean {
    return request !== undefined && this.authenticated.has(request);
  }

  private async authenticate(request: Request): Promise<Caller | undefined> {
    await this.authz.start();
    // Read-your-writes before authenticating: a key created by this instance's last write must work.
    await this.authz.reachOwnWrites();
    const caller = await this.authz.authenticate(request.headers.get('authorization'));
    if (caller !== undefined) this.authenticated.add(request);
    return caller;
  }
}

/**
 * Yoga plugin authenticating each HTTP request's parameters before they are parsed and validated.
 * A refusal leaves as its coded GraphQL error (UNAUTHENTICATED, HTTP 401), which Yoga's masking
 * passes through as intended for the client.
 */
export function useEarlyAuthentication(callers: RequestCallers): Plugin {
  return {
    onParams({ request }) {
      return callers.of(request).then(
        () => undefined,
        (error: unknown) => {
          throw wireError(error);
        },
      );
    },
  };
}
