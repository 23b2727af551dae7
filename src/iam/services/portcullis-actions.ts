/**
 * Portcullis's own actions under AWS's prefixes: the API is self-authorized as `iam:<Operation>`
 * (DESIGN.md), so operations AWS does not have (`iam:Authorize`, `iam:PutService`,
 * `iam:RegisterResource`, `iam:WhoCan`, …) are actions of the `iam` service here, and policies that
 * grant them must validate without "unknown action" warnings. They are merged into the dataset's
 * `iam` and `sts` services when those are read (aws-services.ts); a dataset action of the same
 * name wins. A new guarded operation adds its row here.
 */
import type { CatalogAction, CatalogResourceType } from '../../policy/validate/catalog.ts';

/** What Portcullis adds to one AWS service. */
export interface ServiceExtension {
  readonly actions: readonly CatalogAction[];
  readonly resourceTypes: readonly CatalogResourceType[];
}

const action = (name: string, accessLevel: CatalogAction['accessLevel'], types: readonly string[]): CatalogAction => ({
  name,
  accessLevel,
  resourceTypes: types.map((type) => ({ name: type, required: true })),
  conditionKeys: [],
});

/** The principals decisions are asked about: the dataset's `user` and `role` types. */
const PRINCIPAL = ['user', 'role'];

/** Portcullis's additions by AWS prefix. */
export const PORTCULLIS_EXTENSIONS: Readonly<Record<string, ServiceExtension>> = {
  iam: {
    resourceTypes: [
      { name: 'service', arnPatterns: ['arn:${Partition}:iam::${Account}:service/${ServiceName}'], conditionKeys: [] },
      { name: 'account-root', arnPatterns: ['arn:${Partition}:iam::${Account}:root'], conditionKeys: [] },
      {
        // A registered resource may be of any service, with or without a region and account.
        name: 'registered-resource',
        arnPatterns: [
          'arn:${Partition}:${Service}:${Region}:${Account}:${Resource}',
          'arn:${Partition}:${Service}:::${Resource}',
          'arn:${Partition}:${Service}::${Account}:${Resource}',
          'arn:${Partition}:${Service}:${Region}::${Resource}',
        ],
        conditionKeys: ['aws:ResourceTag/${TagKey}'],
      },
    ],
    actions: [
      // Decisions and live views of a principal's permissions.
      action('Authorize', 'Read', PRINCIPAL),
      action('DecisionChanged', 'Read', PRINCIPAL),
      action('PermissionsChanged', 'Read', PRINCIPAL),
      action('Changes', 'Read', ['account-root']),
      action('ServerInfo', 'Read', []),
      action('ServiceStatus', 'Read', []),
      // The service catalog.
      action('PutService', 'Write', ['service']),
      action('DeleteService', 'Write', ['service']),
      action('GetService', 'Read', ['service']),
      action('ListServices', 'List', []),
      // The resource registry and the questions about resources.
      action('RegisterResource', 'Write', ['registered-resource']),
      action('DeregisterResource', 'Write', ['registered-resource']),
      action('ImportResources', 'Write', ['registered-resource']),
      action('PutResourcePolicy', 'Permissions management', ['registered-resource']),
      action('DeleteResourcePolicy', 'Permissions management', ['registered-resource']),
      action('TagResource', 'Tagging', ['registered-resource']),
      action('UntagResource', 'Tagging', ['registered-resource']),
      action('GetResource', 'Read', ['registered-resource']),
      action('ListResources', 'List', []),
      action('WhoCan', 'Read', ['registered-resource']),
      // Bringing an account's IAM over from a GetAccountAuthorizationDetails document.
      action('ImportAccountAuthorizationDetails', 'Permissions management', []),
      // Escalation paths: one principal's, and the account's summary.
      action('EscalationPaths', 'Read', PRINCIPAL),
      action('EscalationSummary', 'Read', ['account-root']),
    ],
  },
  sts: { resourceTypes: [], actions: [action('SignOut', 'Write', [])] },
};
