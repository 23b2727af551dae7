/**
 * Escalation paths in the console: a principal's "Escalation" tab (`escalationPaths`: each way it
 * can raise its own permissions, with its steps) and the overview's panel (`escalationSummary`:
 * how many principals have a path, by technique, and the first of them). PassRole paths name the
 * compute service that would run the code.
 */
import { errorAt } from '../api/graphql.ts';
import { graphql } from '../api/generated/gql.ts';
import type { EscalationTechnique } from '../api/generated/graphql.ts';
import { useSession } from '../api/session.ts';
import { useQuery } from '../api/use-query.ts';
import { Empty, ErrorNotice, Loading } from './notice.tsx';
import { PrincipalLink } from './principal-link.tsx';

const ESCALATION_PATHS = graphql(`
  query EscalationPaths($principalArn: String!) {
    escalationPaths(principalArn: $principalArn) {
      revision
      principal {
        truncated
        paths {
          technique
          targetArn
          computeService
          steps {
            action
            resourceArn
            description
          }
        }
      }
    }
  }
`);

const ESCALATION_SUMMARY = graphql(`
  query EscalationSummary($first: Int) {
    escalationSummary {
      principalsAnalyzed
      principalsWithPaths
      techniques {
        technique
        principals
      }
      principals(first: $first) {
        edges {
          escalation {
            principalArn
            paths {
              technique
            }
          }
        }
      }
    }
  }
`);

/** Each technique in words (typed by the schema's enum: a new technique fails tsc until it has one). */
export const TECHNIQUE_LABELS: Record<EscalationTechnique, string> = {
  CREATE_POLICY_VERSION: 'New version of a policy it holds',
  SET_DEFAULT_POLICY_VERSION: 'Default version of a policy it holds',
  ATTACH_USER_POLICY: 'Attach a policy to itself',
  ATTACH_GROUP_POLICY: 'Attach a policy to its group',
  ATTACH_ROLE_POLICY: 'Attach a policy to a role',
  PUT_USER_POLICY: 'Write its own inline policy',
  PUT_GROUP_POLICY: "Write its group's inline policy",
  PUT_ROLE_POLICY: "Write a role's inline policy",
  ADD_USER_TO_GROUP: 'Join a group',
  CREATE_ACCESS_KEY: "Create another user's access key",
  CREATE_LOGIN_PROFILE: 'Set another user\'s password',
  UPDATE_LOGIN_PROFILE: "Change another user's password",
  UPDATE_ASSUME_ROLE_POLICY: "Rewrite a role's trust policy",
  ASSUME_ROLE: 'Assume a more privileged role',
  PASS_ROLE_TO_COMPUTE: 'Pass a role to a compute service',
};

/** A principal's "Escalation" tab. */
export function EscalationPaths(props: { principalArn: string }) {
  const { session } = useSession();
  const answer = useQuery(ESCALATION_PATHS, { principalArn: props.principalArn });
  const result = answer.data?.escalationPaths;
  return (
    <section aria-labelledby="escalation-heading">
      <h2 id="escalation-heading">Escalation paths</h2>
      <p className="hint">Ways this principal can raise its own permissions through IAM and STS today. Denies, permissions boundaries, conditions and resource constraints are taken into account.</p>
      {answer.loading ? <Loading what="escalation paths" /> : null}
      <ErrorNotice error={answer.error ?? errorAt(answer.errors, 'escalationPaths')} />
      {result == null ? null : result.principal.paths.length === 0 ? (
        <Empty>No escalation path found.</Empty>
      ) : (
        <ol className="escalation-paths">
          {result.principal.paths.map((path, i) => (
            <li key={i} className="panel">
              <h3 style={{ marginTop: 0 }}>
                {TECHNIQUE_LABELS[path.technique]}
                {path.computeService == null ? null : <span className="mono"> ({path.computeService})</span>}
              </h3>
              <p>
                Ends with the permissions of <PrincipalLink arn={path.targetArn} accountId={session?.accountId} />
                {path.technique === 'PASS_ROLE_TO_COMPUTE' ? ', through code the compute service runs as that role' : ''}.
              </p>
              <ol className="escalation-steps">
                {path.steps.map((step, j) => (
                  <li key={j}>
                    <code>{step.action}</code> on <span className="mono">{step.resourceArn}</span>: {step.description}
                  </li>
                ))}
              </ol>
            </li>
          ))}
        </ol>
      )}
      {result?.principal.truncated === true ? <p className="hint">More paths exist than are listed.</p> : null}
    </section>
  );
}

/** The overview's panel: who in the account has an escalation path. */
export function EscalationOverview() {
  const { session } = useSession();
  const answer = useQuery(ESCALATION_SUMMARY, { first: 10 });
  const summary = answer.data?.escalationSummary;
  return (
    <section className="panel" aria-labelledby="escalation-summary">
      <h2 id="escalation-summary" style={{ marginTop: 0 }}>
        Privilege escalation
      </h2>
      {answer.loading ? <Loading what="escalation paths" /> : null}
      <ErrorNotice error={answer.error ?? errorAt(answer.errors, 'escalationSummary')} />
      {summary == null ? null : (
        <>
          <p>
            <strong>{summary.principalsWithPaths}</strong> of {summary.principalsAnalyzed} users and roles can raise their own permissions.
          </p>
          {summary.techniques.length === 0 ? null : (
            <ul className="tiles">
              {summary.techniques.map((t) => (
                <li key={t.technique}>
                  <strong>{t.principals}</strong> {TECHNIQUE_LABELS[t.technique]}
                </li>
              ))}
            </ul>
          )}
          {summary.principals.edges.length === 0 ? null : (
            <ul className="escalation-principals">
              {summary.principals.edges.map((e) => (
                <li key={e.escalation.principalArn}>
                  <PrincipalLink arn={e.escalation.principalArn} accountId={session?.accountId} />: {e.escalation.paths.length} path{e.escalation.paths.length === 1 ? '' : 's'}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
