import { builder } from './builder.ts';
// Type files register their types and root fields on the builder when imported.
import './query.ts';
import './mutation.ts';
import './node.ts';
import './errors.ts';
import './error-types.ts';
import './server-info.ts';
import './user.ts';
import './group.ts';
import './role.ts';
import './account.ts';

/** The executable GraphQL schema of Portcullis. */
export const schema = builder.toSchema();
