import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin, { decodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import type { GraphQLContext } from './context.ts';
import './root-nullability.ts';
import { inputError } from './wire-errors.ts';

/** The type parameters shared by every Pothos definition in src/graphql. */
export interface PothosTypes {
  Context: GraphQLContext;
  // Output fields are non-null unless a field says `nullable: true`.
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string | number | bigint };
    // Resolvers return Date objects; graphql-scalars' DateTime serializes them (see below).
    DateTime: { Input: Date; Output: Date };
  };
}

/**
 * The one Pothos SchemaBuilder. It defines no types itself (each type file does); schema.ts
 * imports those files and calls `builder.toSchema()`.
 */
export const builder = new SchemaBuilder<PothosTypes>({
  // Errors first so it wraps the resolvers the other plugins produce; every Query and Mutation
  // field is nullable (root-nullability.ts), so a root field's failure costs only that field.
  plugins: [ErrorsPlugin, RelayPlugin, 'rootNullability'],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // Query.node and Query.nodes are declared in node.ts, where they can be documented and guarded.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    // The generated Relay types say what they are (graphql-eslint require-description).
    nodeTypeOptions: { description: 'An entity with a global `id` that survives renames; fetch it again with `node(id:)` or `nodes(ids:)`.' },
    pageInfoTypeOptions: { description: 'Where a page of a connection sits: whether more follow, and the cursor to pass as `after` for the next page.' },
    defaultConnectionTypeOptions: { description: 'One page of a list (a Relay connection): its edges in order, and where the page sits.' },
    defaultEdgeTypeOptions: { description: 'One item of a connection page, with the cursor that points at it.' },
    // A malformed id is the client's mistake: a typed error naming the field, never echoing the input
    // (Pothos' own error has no code and repeats the id, up to a megabyte of it).
    decodeGlobalID: (globalID) => {
      try {
        return decodeGlobalID(globalID);
      } catch {
        throw inputError('id is not a global id taken from an `id` field', 'id', 'global-id');
      }
    },
  },
  errors: {
    // Fields list the error classes they return; nothing is caught implicitly.
    defaultTypes: [],
  },
});

/**
 * Every instant on the wire: graphql-scalars' DateTime. Its `serialize` hands the Date through and
 * the JSON encoding (HTTP, SSE, graphql-ws) writes `Date.prototype.toISOString()`, i.e. an RFC 3339
 * date-time in UTC with milliseconds; inputs accept any RFC 3339 date-time.
 */
builder.addScalarType('DateTime', DateTimeResolver, {
  description: 'An instant, as an RFC 3339 date-time string in UTC with milliseconds, e.g. `2026-12-06T11:06:10.123Z`.',
});
