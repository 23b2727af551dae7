/**
 * Policy parsing and validation: `parsePolicy(text, kind)` returns Access Analyzer-style findings
 * and, when there is no ERROR, the normalised `PolicyDocument`.
 */
export { parsePolicy } from './validate-policy.ts';
export type { ParsePolicyOptions, ParsePolicyResult } from './validate-policy.ts';
export { ISSUE_CODES, findingTypeOf } from './issue-codes.ts';
export type { IssueCode, IssueCodeInfo } from './issue-codes.ts';
export { KIND_RULES, DEFAULT_VERSION, POLICY_VERSIONS } from './grammar.ts';
export type { KindRules } from './grammar.ts';
export { parseConditionOperator, BASE_OPERATORS } from './operators.ts';
export type { ParsedOperator, OperatorFamily, BaseOperatorInfo } from './operators.ts';
export { policySize } from './checks/size.ts';
export { servicePrefixesOf } from './catalog-prefixes.ts';
export { catalogService, catalogViewOf, conditionKeyOf, resourceTypeOfArn, resourceTypesMatching, patternMayFitFormat, ACCESS_LEVELS } from './catalog.ts';
export type { AccessLevel, CatalogAction, CatalogConditionKey, CatalogResourceType, CatalogService, CatalogView, ServiceDefinition } from './catalog.ts';
