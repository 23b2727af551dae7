import packageJson from '../../package.json' with { type: 'json' };
import { currentRevision } from '../changes/outbox.ts';
import { builder } from './builder.ts';

/** Facts about the running server that a client may want before doing anything else. */
export interface ServerInfo {
  readonly version: string;
  readonly accountId: string;
}

const ServerInfoRef = builder.objectRef<ServerInfo>('ServerInfo').implement({
  description: 'Facts about this Portcullis server.',
  fields: (t) => ({
    version: t.exposeString('version', { description: 'The Portcullis release serving this API.' }),
    accountId: t.exposeString('accountId', {
      description: "The caller's 12-digit account: the one every operation of this credential is scoped to.",
    }),
    revision: t.string({
      description:
        'The highest change-log revision committed so far (decimal digits). Every write returns the revision it committed; pass one as `minRevision` to read at least that state.',
      resolve: (_info, _args, context) => currentRevision(context.database),
    }),
  }),
});

builder.queryFields((t) => ({
  serverInfo: t.field({
    type: ServerInfoRef,
    description: 'Facts about this Portcullis server. Action `iam:ServerInfo` on `*`.',
    resolve: async (_root, _args, context) => {
      // The self-authorization convention (field name in PascalCase): a release number helps an
      // attacker choose, so an anonymous caller gets UNAUTHENTICATED.
      const caller = await context.guard.require('iam:ServerInfo', '*');
      // The caller's own account: the bootstrap (management) account is another account's id to
      // a principal of a member account, which reaches no other account but through a role.
      return { version: packageJson.version, accountId: caller.accountId };
    },
  }),
}));
