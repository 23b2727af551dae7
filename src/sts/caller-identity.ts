/** GetCallerIdentity: who the credentials belong to, as STS reports it. Needs no permission. */
import type { Caller } from '../authz/caller.ts';

/** GetCallerIdentity's answer. */
export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
  /** aws:userid: AIDA… for users, `AROA…:<session>` for role sessions, `<account>:<name>` for federated users, the account id for root. */
  readonly userId: string;
}

/** The identity behind a caller. */
export function getCallerIdentity(caller: Caller): CallerIdentity {
  const userId =
    caller.kind === 'root'
      ? caller.accountId
      : caller.kind === 'user'
        ? caller.userId
        : caller.kind === 'federated-user'
          ? `${caller.accountId}:${caller.federatedUserName}`
          : `${caller.roleId}:${caller.sessionName}`;
  return { account: caller.accountId, arn: caller.arn, userId };
}
