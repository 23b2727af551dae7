import type { AccessGuard } from '../authz/caller.ts';
import type { RequestAuthz } from '../authz/runtime.ts';
import type { Database } from '../db/client.ts';
import type { SignInThrottle } from '../iam/throttle.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { DatabaseStatusSource } from '../db/status.ts';
import type { LiveServices } from '../live/live-services.ts';
import type { Loaders } from './loaders.ts';

/**
 * What every resolver receives. Built once per request by `createContext` in
 * src/server/context.ts; add request-scoped fields (the authenticated caller, …) there and here.
 */
export interface GraphQLContext {
  /** The id echoed in the x-request-id response header and on every log line of this request. */
  readonly requestId: string;
  /**
   * The logger bound to this request's id, made on first call: pino's child() costs about 17 µs
   * and most requests log nothing. A function, not a getter: envelop assembles the context with
   * Object.assign, which reads every getter, so a getter would bind a child for every request.
   */
  readonly logger: () => Logger;
  /** The database this request's directory reads use: the read replica for query operations when READ_DATABASE_URL is set, else the primary. */
  readonly database: Database;
  /** The validated server configuration. */
  readonly config: Config;
  /** DataLoaders private to this request, so batching and caching never cross callers. */
  readonly loaders: Loaders;
  /** Self-authorization: `await guard.require('iam:<Action>', arn)` at the top of every resolver. */
  readonly guard: AccessGuard;
  /** The request's batched effective-policy loader and facts, for decision resolvers. */
  readonly authz: RequestAuthz;
  /** The app's live hub and decision rounds, which subscriptions listen and re-decide on. */
  readonly live: LiveServices;
  /** This instance's view of the database (up or down), to announce outages to subscribers. */
  readonly databaseStatus: DatabaseStatusSource;
  /** The app's sign-in throttle, whose counters live in the shared database. */
  readonly signInThrottle: SignInThrottle;
  /** The app's clock: sessions are issued, expire and are revoked by its wall time. */
  readonly clock: Clock;
  /**
   * The console session hook: a sign-in mutation calls `consoleSession.start(credentials)` to make
   * the session this browser's console session (an HttpOnly, SameSite cookie on the response);
   * sign-out calls `end()`. See src/server/console-session.ts.
   */
  readonly consoleSession: ConsoleSessionHook;
}

/** The part of a session's credentials the console session cookie needs. */
export interface ConsoleSessionCredentials {
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** Sets or clears the browser's console session for the response of the current request. */
export interface ConsoleSessionHook {
  /** The response sets the console session cookie to this session's token, until it expires. */
  start(credentials: ConsoleSessionCredentials): void;
  /** The response clears the console session cookie. */
  end(): void;
}
