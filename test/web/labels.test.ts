/**
 * The console's wording of API values: a role's maximum session reads as people say it (issue 19
 * found "Maximum session 1 hours"), and change kinds read as phrases.
 */
import { describe, expect, it } from 'vitest';
import { changeKindLabel, formatDuration } from '../../src/web/components/labels.ts';

describe('console labels', () => {
  it('words durations in the singular for one and the plural otherwise', () => {
    expect(formatDuration(3600)).toBe('1 hour');
    expect(formatDuration(43_200)).toBe('12 hours');
    expect(formatDuration(5400)).toBe('1.5 hours');
    expect(formatDuration(60)).toBe('1 minute');
    expect(formatDuration(900)).toBe('15 minutes');
  });

  it('words change kinds as phrases, keeping acronyms', () => {
    expect(changeKindLabel('POLICY_ATTACHED')).toBe('Policy attached');
    expect(changeKindLabel('MFA_DEVICE_ENABLED')).toBe('MFA device enabled');
  });
});
