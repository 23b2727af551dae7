import { builder } from './builder.ts';

// The root Query type. Each type file adds its own read fields with `builder.queryFields`.
builder.queryType({
  description: 'Read operations. Directory reads map to the IAM actions `iam:Get*` and `iam:List*`.',
});
