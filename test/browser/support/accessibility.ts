/**
 * Accessibility checks for the browser tests: axe-core (the installed package, never a CDN) run
 * inside the page, failing on every serious or critical violation with what and where it is.
 *
 *   await expectAccessible(page, 'users list');
 *
 * The script is evaluated through the DevTools protocol, which the console's Content Security
 * Policy (script-src 'self') does not apply to, so the page under test is the page as served.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The impacts that fail a check: axe's two highest. */
export const FAILING_IMPACTS: ReadonlySet<string> = new Set(['serious', 'critical']);

/** One axe violation, as much of it as a failure message needs. */
export interface AccessibilityViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly helpUrl: string;
  /** CSS selectors of the offending elements, with axe's summary of what to fix for each. */
  readonly nodes: ReadonlyArray<{ readonly target: string; readonly failureSummary: string }>;
}

let axeSource: Promise<string> | undefined;

/** axe.min.js from node_modules, read once per test process. */
function loadAxe(): Promise<string> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

/** Options for one check. */
export interface AccessibilityOptions {
  /** Limit the check to this selector (default: the whole document). */
  readonly include?: string;
  /** axe rule ids to skip, each with the reason in a comment where it is passed. */
  readonly disableRules?: readonly string[];
}

/** Runs axe on the page as it is now and returns its serious and critical violations. */
export async function accessibilityViolations(page: Page, options: AccessibilityOptions = {}): Promise<AccessibilityViolation[]> {
  const source = await loadAxe();
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(source);
  const violations = await page.evaluate(
    async ({ include, disableRules }) => {
      type AxeResult = {
        violations: Array<{ id: string; impact: string | null; help: string; helpUrl: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }>;
      };
      const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<AxeResult> } }).axe;
      const rules = Object.fromEntries(disableRules.map((id) => [id, { enabled: false }]));
      const result = await axe.run(include ?? document, { resultTypes: ['violations'], rules });
      return result.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        helpUrl: violation.helpUrl,
        nodes: violation.nodes.map((node) => ({ target: node.target.map(String).join(' '), failureSummary: node.failureSummary ?? '' })),
      }));
    },
    { include: options.include ?? null, disableRules: [...(options.disableRules ?? [])] },
  );
  return violations.filter((violation) => violation.impact !== null && FAILING_IMPACTS.has(violation.impact));
}

/** A readable list of violations for a failure message. */
export function describeViolations(violations: readonly AccessibilityViolation[]): string {
  return violations
    .map((violation) => {
      const nodes = violation.nodes.slice(0, 5).map((node) => `    at ${node.target}: ${node.failureSummary.replace(/\s+/g, ' ')}`);
      return `  [${violation.impact}] ${violation.id}: ${violation.help} (${violation.helpUrl})\n${nodes.join('\n')}`;
    })
    .join('\n');
}

/** Fails the test when axe finds a serious or critical violation on the page; `where` names the page in the message. */
export async function expectAccessible(page: Page, where: string, options: AccessibilityOptions = {}): Promise<void> {
  const violations = await accessibilityViolations(page, options);
  expect(violations, `accessibility violations on ${where}:\n${describeViolations(violations)}`).toEqual([]);
}
