import { builder } from './builder.ts';

// The root Mutation type. Each type file adds its own write fields with `builder.mutationFields`.
builder.mutationType({
  description:
    'Write operations. Each directory mutation takes one `input` with AWS parameter names and returns a union of its success type (carrying `revision`) and typed errors.',
});
