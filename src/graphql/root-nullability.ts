/**
 * A Pothos plugin that makes every field of Query and Mutation nullable, whatever the field says:
 * a request-level failure of one root field (unauthenticated, refused read, throttled, internal
 * error) then nulls that field alone, with a coded error at its path, instead of the whole
 * `data` (graphql-eslint's `require-nullable-result-in-root`). Subscription fields keep their
 * declared nullability: a failing subscription ends with an error, there is no data to keep.
 */
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';

export class RootNullabilityPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    if (fieldConfig.kind !== 'Query' && fieldConfig.kind !== 'Mutation') return fieldConfig;
    return { ...fieldConfig, type: { ...fieldConfig.type, nullable: true } } as PothosOutputFieldConfig<Types>;
  }
}

SchemaBuilder.registerPlugin('rootNullability', RootNullabilityPlugin);

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      rootNullability: RootNullabilityPlugin<Types>;
    }
  }
}
