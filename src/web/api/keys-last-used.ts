/**
 * When each of a few access keys was last used (GetAccessKeyLastUsed, one small query per key,
 * run together): the overview asks it only for active keys old enough to have gone unused for
 * the recommendation's window, and at most `limit` of them.
 */
import { graphql } from './generated/gql.ts';
import { errorAt, request } from './graphql.ts';

const KEY_LAST_USED = graphql(`
  query KeyLastUsed($accessKeyId: String!) {
    accessKeyLastUsed(accessKeyId: $accessKeyId) {
      lastUsedDate
    }
  }
`);

/** Last use per key id: an ISO date, or null when never used. Keys the caller may not read are left out. */
export type KeysLastUsed = ReadonlyMap<string, string | null>;

/** Looks up the last use of each key in `accessKeyIds` (in parallel); keys refused or gone are left out. */
export async function loadKeysLastUsed(accessKeyIds: readonly string[], signal: AbortSignal): Promise<KeysLastUsed> {
  const answers = await Promise.all(
    accessKeyIds.map(async (accessKeyId) => {
      const answer = await request(KEY_LAST_USED, { accessKeyId }, { signal }).catch((error: unknown) => {
        if (signal.aborted) throw error;
        return undefined;
      });
      const used = answer?.data.accessKeyLastUsed;
      if (answer === undefined || used == null || errorAt(answer.errors, 'accessKeyLastUsed') !== undefined) return undefined;
      return [accessKeyId, used.lastUsedDate ?? null] as const;
    }),
  );
  return new Map(answers.filter((entry) => entry !== undefined));
}
