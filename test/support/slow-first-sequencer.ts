/**
 * Test file order: the longest suites first, then vitest's own order. On a fresh checkout (CI)
 * vitest knows no durations and starts larger files first, so a short file with a long run (the
 * two-instance race, the console suites) started last and ran alone at the end of its pass: in
 * one clean run two-instances.test.ts (236 s) ended the PostgreSQL pass and accessibility.test.ts
 * (108 s) the PGlite pass. Started first, they overlap the many short files instead. A file not
 * listed (or renamed) only loses its head start. Suites that spawn the server through tsx
 * (main.test.ts) are left out: in the first wave, beside the heaviest suites, a start took over 30 s.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Longest first, by their time in the clean CI runs of 2026-12-07 (under load, three workers a pass). */
const LONGEST = [
  'test/browser/credentials.test.ts',
  'test/browser/console-session.test.ts',
  'test/browser/dashboard.test.ts',
  'test/security/every-operation.test.ts',
  'test/browser/accessibility.test.ts',
  'test/browser/overview-security.test.ts',
  'test/browser/switch-role.test.ts',
  'test/server/compiled-start.test.ts',
  'test/security/account-isolation.test.ts',
  'test/browser/resources.test.ts',
  'test/browser/activity-paging.test.ts',
  'test/security/condition-keys.test.ts',
  'test/security/string-fuzz.test.ts',
  // 236 s then; since its checkers ask only where a stale answer could show, 9 s idle and 110-120 s in CI.
  'test/authz/two-instances.test.ts',
];

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification): number => {
      const index = LONGEST.findIndex((file) => spec.moduleId.endsWith(`/${file}`));
      return index < 0 ? LONGEST.length : index;
    };
    // Array.prototype.sort is stable: the rest keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
