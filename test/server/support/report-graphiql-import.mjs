// Loaded with `node --import`: reports on standard error every module of
// @graphql-yoga/render-graphiql the process resolves (see graphiql-page.test.ts).
import { register } from 'node:module';

const hook = `export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (resolved.url.includes('/@graphql-yoga/render-graphiql/')) process.stderr.write('resolved ' + resolved.url + '\\n');
  return resolved;
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
