import { builder } from './builder.ts';

// The root Subscription type. Live type files (changes.ts, permissions-changed.ts,
// decision-changed.ts) add their fields with `builder.subscriptionFields`.
builder.subscriptionType({
  description:
    'Live updates over graphql-ws (WebSocket, same path) or Server-Sent Events (`Accept: text/event-stream`). Each field is an IAM action (`iam:` + its PascalCase name); a revoked or expired credential ends the stream (UNAUTHENTICATED), and so does losing the permission (ACCESS_DENIED), decided again on every change that may alter it.',
});
