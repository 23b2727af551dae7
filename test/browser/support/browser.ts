/**
 * Headless Chromium for the dashboard tests: Debian's Chromium driven by playwright-core, a fresh
 * profile per launch, and every console error or uncaught exception collected so tests can
 * assert that there were none.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';

/**
 * Chromium's headless shell (Debian's chromium-headless-shell, which .ci/run installs): the same
 * Blink and V8 as the browser, without the desktop browser's machinery, which is what Playwright
 * itself runs headless. The console's browser tests took a third less CPU with it than with
 * /usr/bin/chromium (30 against 50 CPU-seconds for dashboard.test.ts). Where only the full
 * browser is installed, the tests use that.
 */
const HEADLESS_SHELL = '/usr/bin/chromium-headless-shell';
export const CHROMIUM_PATH = existsSync(HEADLESS_SHELL) || process.env['CI'] ? HEADLESS_SHELL : '/usr/bin/chromium';

/**
 * Whether the browser tests can run here; they skip (with a message) when it is false. Under CI
 * (`CI` set) a missing Chromium fails instead, so a machine without it cannot pass CI untested.
 */
export const chromiumAvailable = existsSync(CHROMIUM_PATH);
if (!chromiumAvailable && process.env['CI']) throw new Error(`CI needs ${CHROMIUM_PATH} for the dashboard tests; .ci/run installs it (package chromium-headless-shell)`);

// Quiet, deterministic, offline: no sandbox (containers run as root), no GPU, no background
// traffic to Google, no first-run UI.
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A launched browser with one profile. */
export interface TestBrowser {
  readonly context: BrowserContext;
  /** Opens a page of the given viewport width; its console errors land in `consoleErrors`. */
  newPage(options?: { width?: number; height?: number }): Promise<Page>;
  /** Console errors and page errors seen on every page so far, as text. */
  readonly consoleErrors: string[];
  close(): Promise<void>;
}

/** Launches headless Chromium with a fresh --user-data-dir (deleted on close). */
export async function launchBrowser(): Promise<TestBrowser> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'portcullis-chromium-'));
  // launchPersistentContext passes userDataDir to Chromium as --user-data-dir.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 800 },
  });
  const consoleErrors: string[] = [];
  const watch = (page: Page): void => {
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: uncaught ${error.message}`));
  };
  return {
    context,
    consoleErrors,
    async newPage(options = {}) {
      const page = await context.newPage();
      await page.setViewportSize({ width: options.width ?? 1280, height: options.height ?? 800 });
      // Fail with playwright's own message (what it waited for) well before the test times out.
      page.setDefaultTimeout(20_000);
      watch(page);
      return page;
    },
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
