/** Tags on the wire: the `Tag` output type and the `TagInput` input type, shared by every taggable kind (entity-tags.ts). */
import type { Tag } from '../iam/tag-set.ts';
import { builder } from './builder.ts';

/** A key-value tag on a user or role. */
export const TagRef = builder.objectRef<Tag>('Tag').implement({
  description: 'A key-value tag. Keys are unique per entity, compared case-insensitively.',
  fields: (t) => ({
    key: t.exposeString('key', { description: '1-128 characters; not starting with `aws:`.' }),
    value: t.exposeString('value', { description: '0-256 characters.' }),
  }),
});

/** A tag to set. */
export const TagInputRef = builder.inputType('TagInput', {
  description: 'A tag to set: key 1-128 characters (not `aws:`-prefixed), value 0-256, letters, digits, spaces and `_ . : / = + - @`.',
  fields: (t) => ({
    key: t.string({ required: true }),
    value: t.string({ required: true }),
  }),
});
