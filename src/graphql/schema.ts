import { builder } from './builder.ts';
// Type files register their types and root fields on the builder when imported.
import './query.ts';
import './mutation.ts';
import './subscription.ts';
import './node.ts';
import './errors.ts';
import './error-types.ts';
import './server-info.ts';
import './decision.ts';
import './denial-explanation.ts';
import './simulation.ts';
import './user.ts';
import './group.ts';
import './role.ts';
import './account.ts';
import './policy.ts';
import './policy-version.ts';
import './attachments.ts';
import './policy-holder.ts';
import './inline-policy.ts';
import './boundaries.ts';
import './trust-policy.ts';
import './credentials.ts';
import './password-policy.ts';
import './mfa.ts';
import './sign-in.ts';
import './validate-policy.ts';
import './sts.ts';
import './federation-token.ts';
import './oidc.ts';
import './oidc-updates.ts';
import './entity-tags.ts';
import './changes.ts';
import './permissions-changed.ts';
import './decision-changed.ts';
import './reverse.ts';
import './reverse-what-can.ts';
import './service-status.ts';
import './service.ts';
import './service-mutations.ts';
import './resources.ts';
// Lane D: escalation paths.
import './escalation.ts';

/** The executable GraphQL schema of Portcullis. */
export const schema = builder.toSchema();
