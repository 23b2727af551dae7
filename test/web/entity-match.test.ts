/** The entity picker's matching: names that start with what is typed first, then any that contain it, bounded. */
import { describe, expect, it } from 'vitest';
import { MAX_MATCHES, matchOptions } from '../../src/web/api/entity-match.ts';
import type { EntityOption } from '../../src/web/api/entity-match.ts';

const option = (label: string, value = label): EntityOption => ({ value, label, detail: value });

describe('matchOptions', () => {
  const options = [option('ReadOnlyAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess'), option('AdministratorAccess', 'arn:aws:iam::aws:policy/AdministratorAccess'), option('ops-readers')];

  it('puts names that start with the text first, then names or values that contain it, any case', () => {
    expect(matchOptions(options, 'read').map((o) => o.label)).toEqual(['ReadOnlyAccess', 'ops-readers']);
    expect(matchOptions(options, 'ACCESS').map((o) => o.label)).toEqual(['ReadOnlyAccess', 'AdministratorAccess']);
  });

  it('matches a typed ARN by its value', () => {
    expect(matchOptions(options, 'arn:aws:iam::aws:policy/Admin').map((o) => o.label)).toEqual(['AdministratorAccess']);
  });

  it('offers at most MAX_MATCHES, also when nothing is typed', () => {
    const many = Array.from({ length: 50 }, (_, i) => option(`user-${String(i).padStart(2, '0')}`));
    expect(matchOptions(many, '')).toHaveLength(MAX_MATCHES);
    expect(matchOptions(many, 'user')).toHaveLength(MAX_MATCHES);
    expect(matchOptions(many, 'user-4').map((o) => o.label)).toEqual(Array.from({ length: 10 }, (_, i) => `user-4${i}`));
  });
});
