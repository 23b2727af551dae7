/**
 * The two wire errors of authentication and self-authorization, raised as GraphQLErrors with
 * stable codes: UNAUTHENTICATED (HTTP 401) and ACCESS_DENIED. Messages are lower-case and never
 * quote a credential.
 */
import { GraphQLError } from 'graphql';

/** No credential, or a credential that does not verify: HTTP 401, code UNAUTHENTICATED. */
export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'www-authenticate': 'Basic realm="portcullis", Bearer' } } },
  });
}

/** The engine did not allow `action` on `resourceArn` for the caller: code ACCESS_DENIED. */
export function accessDenied(callerArn: string, action: string, resourceArn: string, kind: string): GraphQLError {
  return new GraphQLError(`${kind} ${callerArn} is not authorized to perform ${action} on resource ${resourceArn}`, {
    extensions: { code: 'ACCESS_DENIED', action, resource: resourceArn },
  });
}
