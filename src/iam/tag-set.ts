/**
 * Tag sets as IAM keeps them on users, roles and policies: keys compared case-insensitively (the
 * latest spelling wins), at most 50 per entity. Pure functions over the stored list, so every
 * tagging command shares them without importing another.
 */
import type { Tag } from '../db/schema/index.ts';
import { LimitExceededError } from '../errors.ts';
import { quotaLimit } from './quotas.ts';

/** A key-value tag as stored on a user, role, policy or other taggable entity. */
export type { Tag };

/**
 * `existing` with `added` merged in: a key already present (in any case) takes the new key and
 * value in place; new keys are appended. Throws LimitExceededError past 50 tags.
 */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const merged = existing.map((t) => ({ key: t.key, value: t.value }));
  for (const tag of added) {
    const i = merged.findIndex((t) => t.key.toLowerCase() === tag.key.toLowerCase());
    if (i >= 0) merged[i] = { key: tag.key, value: tag.value };
    else merged.push({ key: tag.key, value: tag.value });
  }
  const limit = quotaLimit('TagsPerEntity');
  if (merged.length > limit) {
    throw new LimitExceededError('TagsPerEntity', limit, `cannot exceed quota for TagsPerEntity: ${limit} tags on one entity (it would have ${merged.length})`);
  }
  return merged;
}

/** `existing` without the tags whose keys (any case) are in `keys`; absent keys are ignored, as AWS does. */
export function removeTags(existing: readonly Tag[], keys: readonly string[]): Tag[] {
  const drop = new Set(keys.map((k) => k.toLowerCase()));
  return existing.filter((t) => !drop.has(t.key.toLowerCase()));
}
