/**
 * putService and deleteService on the wire: the input types of a custom service definition and
 * the two mutations, each authorized on the service ARN (arn:aws:iam::<account>:service/<name>)
 * and answering a result union. The work is src/iam/services/service-commands.ts.
 */
import { LimitExceededError, NoSuchEntityError, ValidationError } from '../errors.ts';
import { deleteService, putService } from '../iam/services/service-commands.ts';
import { serviceArnOf } from '../iam/services/service-reads.ts';
import { builder } from './builder.ts';
import { entitySuccess, resultErrors } from './mutation-result.ts';
import { AccessLevelEnum, ServiceRef } from './service.ts';

const ActionResourceTypeInput = builder.inputType('ActionResourceTypeInput', {
  description: 'A resource type an action acts on.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'One of the service\'s `resourceTypes` names.' }),
    required: t.boolean({ defaultValue: true, description: 'Whether the action always acts on a resource of this type.' }),
  }),
});
const ServiceActionInput = builder.inputType('ServiceActionInput', {
  description: 'One action of a custom service.',
  fields: (t) => ({
    name: t.string({ required: true, description: '1-128 characters of `[A-Za-z0-9_.-]`, starting with a letter or digit; unique in any case.' }),
    accessLevel: t.field({ type: AccessLevelEnum, required: true, description: 'What it does.' }),
    resourceTypes: t.field({ type: [ActionResourceTypeInput], description: 'At most 50; none means it takes only `"Resource": "*"`.' }),
    conditionKeys: t.stringList({ description: "At most 100: the service's own keys or global `aws:` keys." }),
  }),
});
const ServiceResourceTypeInput = builder.inputType('ServiceResourceTypeInput', {
  description: 'One resource type of a custom service.',
  fields: (t) => ({
    name: t.string({ required: true, description: '1-128 characters of `[A-Za-z0-9 _./-]`; unique in any case.' }),
    arnPattern: t.string({
      required: true,
      description: 'The ARN format, at most 1,024 characters: `arn:${Partition}:<serviceName>:${Region}:${Account}:list/${ListId}`, placeholders `${Name}`, no wildcards.',
    }),
    conditionKeys: t.stringList({ description: "At most 100: the service's own keys or global `aws:` keys." }),
  }),
});
const ServiceConditionKeyInput = builder.inputType('ServiceConditionKeyInput', {
  description: 'One condition key of a custom service.',
  fields: (t) => ({
    name: t.string({ required: true, description: '`<serviceName>:` then letters, digits, `_ . : / < > -` and `${Placeholder}`s; at most 128 characters.' }),
    type: t.string({ required: true, description: 'String, ArrayOfString, ARN, ArrayOfARN, Numeric, ArrayOfNumeric, Date, ArrayOfDate, Bool, ArrayOfBool, IPAddress, ArrayOfIPAddress, Binary or ArrayOfBinary.' }),
  }),
});
const PutServiceInput = builder.inputType('PutServiceInput', {
  description:
    "What putService needs: a custom service of the caller's account, its actions, resource types and condition keys. The first put creates the service (at most 100 per account); each later put stores the next version. Authorized by iam:PutService on arn:aws:iam::<account>:service/<serviceName>. An AWS prefix is a ValidationError (rule `reserved`); so is any broken rule, naming the field. Stored policies are never re-validated: dropping an action leaves them working, and validation starts warning.",
  fields: (t) => ({
    serviceName: t.string({ required: true, description: 'The prefix, 1-64 characters: lower-case letters, digits and inner hyphens (`todo`).' }),
    displayName: t.string({ required: true, description: '1-256 characters, no control characters.' }),
    actions: t.field({ type: [ServiceActionInput], required: true, description: 'At most 2,000.' }),
    resourceTypes: t.field({ type: [ServiceResourceTypeInput], description: 'At most 500.' }),
    conditionKeys: t.field({ type: [ServiceConditionKeyInput], description: 'At most 1,000.' }),
  }),
});
const DeleteServiceInput = builder.inputType('DeleteServiceInput', {
  description: "What deleteService needs: a custom service of the caller's account. Authorized by iam:DeleteService on its ARN. Policies that name it keep working; validation starts warning.",
  fields: (t) => ({ serviceName: t.string({ required: true, description: 'The prefix of a custom service.' }) }),
});

const PutServiceSuccess = entitySuccess('PutService', 'service', ServiceRef, 'The service as stored, at its new version.');
const DeleteServiceSuccess = entitySuccess('DeleteService', 'service', ServiceRef, 'The service as it was before deletion.');

builder.mutationFields((t) => ({
  putService: t.field({
    type: PutServiceSuccess,
    description: "PutService: define one of the account's own services, or store its next version.",
    args: { input: t.arg({ type: PutServiceInput, required: true }) },
    errors: resultErrors('PutService', [ValidationError, LimitExceededError]),
    resolve: async (_root, { input }, context) => {
      const accountId = context.guard.caller?.accountId;
      const caller = accountId === undefined ? await context.guard.require('iam:PutService', '*') : await context.guard.require('iam:PutService', serviceArnOf(accountId, input.serviceName));
      return putService(context.database, caller, {
        serviceName: input.serviceName,
        displayName: input.displayName,
        actions: input.actions,
        resourceTypes: input.resourceTypes ?? null,
        conditionKeys: input.conditionKeys ?? null,
      });
    },
  }),
  deleteService: t.field({
    type: DeleteServiceSuccess,
    description: "DeleteService: delete one of the account's own services with all its versions.",
    args: { input: t.arg({ type: DeleteServiceInput, required: true }) },
    errors: resultErrors('DeleteService', [ValidationError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const accountId = context.guard.caller?.accountId;
      const caller = accountId === undefined ? await context.guard.require('iam:DeleteService', '*') : await context.guard.require('iam:DeleteService', serviceArnOf(accountId, input.serviceName));
      return deleteService(context.database, caller, input.serviceName);
    },
  }),
}));
