/** Column helpers shared by the table files, so the same concept has the same SQL type everywhere. */
import { sql } from 'drizzle-orm';
import { jsonb, text, timestamp } from 'drizzle-orm/pg-core';

/** One AWS resource tag. Keys are unique per entity, compared case-sensitively as AWS does. */
export interface Tag {
  readonly key: string;
  readonly value: string;
}

/** Timestamp column with time zone, read as a JS Date. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Tags as a jsonb array of `{ key, value }`, empty by default. */
export const tagsColumn = (name = 'tags') =>
  jsonb(name)
    .$type<Tag[]>()
    .notNull()
    .default(sql`'[]'::jsonb`);

/** IAM path column, `/` by default. */
export const pathColumn = () => text('path').notNull().default('/');
