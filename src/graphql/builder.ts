import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin, { decodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import type { GraphQLContext } from './context.ts';

/** The type parameters shared by every Pothos definition in src/graphql. */
export interface PothosTypes {
  Context: GraphQLContext;
  // Output fields are non-null unless a field says `nullable: true`.
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string | number | bigint };
  };
}

/**
 * The one Pothos SchemaBuilder. It defines no types itself (each type file does); schema.ts
 * imports those files and calls `builder.toSchema()`.
 */
export const builder = new SchemaBuilder<PothosTypes>({
  // Errors first so it wraps the resolvers the other plugins produce.
  plugins: [ErrorsPlugin, RelayPlugin],
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
        throw new GraphQLError('id is not a global id taken from an `id` field', { extensions: { code: 'BAD_USER_INPUT', field: 'id', rule: 'global-id' } });
      }
    },
  },
  errors: {
    // Fields list the error classes they return; nothing is caught implicitly.
    defaultTypes: [],
  },
});
