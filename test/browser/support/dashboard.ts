/**
 * Shared set-up for the dashboard tests: a built dashboard, a real server with known root
 * credentials, a headless browser, and helpers to call the API as root and to sign in.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { loadNamedSeed } from '../../../src/iam/named-seeds.ts';
import { createTestStorage, startTestServer } from '../../support/server.ts';
import type { TestServer } from '../../support/server.ts';
import { ensureDashboardBuilt } from './build.ts';
import { launchBrowser } from './browser.ts';
import type { TestBrowser } from './browser.ts';

/** The account every test server is bootstrapped with. */
export const ACCOUNT_ID = '111122223333';
/** The root access key id the test server is started with (AKIA + 16 of A-Z2-7, as the API validates key ids). */
export const ROOT_ACCESS_KEY_ID = 'AKIAPORTCULLISWEBAAA';
/** Its secret (a test value, never a real credential). */
export const ROOT_SECRET = 'dashboardTestSecretKey0123456789abcdefXYZ';
/** The root user's sign-in password on the test server. */
export const ROOT_PASSWORD = 'Root-password-for-tests-1';

/** Where screenshots for the README go. */
export const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

/**
 * Whether this run takes screenshots: only `npm run screenshots` (UPDATE_SCREENSHOTS=1), which
 * refreshes docs/screenshots. A screenshot asserts nothing, so `npm test` skips the encoding.
 */
const takingScreenshots = process.env.UPDATE_SCREENSHOTS === '1';

/** What a dashboard test works with. */
export interface Dashboard {
  /** The running server (a new one after `restart`). */
  readonly server: TestServer;
  /** Stops the server and starts it again on the same port and database, as a redeploy would. */
  restart(): Promise<void>;
  readonly browser: TestBrowser;
  /** Calls the API as root (Basic access-key auth); throws on top-level errors. */
  root<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /**
   * Signs in through the sign-in page and waits for the shell. The browser's tabs share one
   * session (an HttpOnly cookie), so whoever is signed in is signed out first.
   */
  signIn(page: Page, userName: string, password: string): Promise<void>;
  /** Opens the console in `page` and signs out whoever is signed in, leaving the sign-in page. */
  signOut(page: Page): Promise<void>;
  /** Saves a screenshot (full page unless `viewportOnly`) as docs/screenshots/<name>.png, under `npm run screenshots` only. */
  screenshot(page: Page, name: string, options?: { viewportOnly?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds the dashboard if needed, starts a server and a browser. The demo organisation is loaded
 * unless `demo` is false (a first start, as `npm start` leaves a new database).
 */
export async function openDashboard(options: { demo?: boolean } = {}): Promise<Dashboard> {
  await ensureDashboardBuilt();
  // The dashboard owns the storage, so a restart can reuse it.
  const storage = await createTestStorage();
  const env: Record<string, string> = {
    PORTCULLIS_ACCOUNT_ID: ACCOUNT_ID,
    PORTCULLIS_ROOT_ACCESS_KEY: `${ROOT_ACCESS_KEY_ID}:${ROOT_SECRET}`,
    PORTCULLIS_ROOT_PASSWORD: ROOT_PASSWORD,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
  };
  let server: TestServer;
  try {
    server = await startTestServer({ env, storage });
  } catch (error) {
    await storage.destroy();
    throw error;
  }
  // The demo organisation, loaded as `npm run seed -- demo` loads it, so pages and screenshots show a real directory.
  if (options.demo !== false) {
    await loadNamedSeed(server.running.app.database, ACCOUNT_ID, 'demo').catch(async (error: unknown) => {
      await server.close();
      await storage.destroy();
      throw error;
    });
  }
  const browser = await launchBrowser().catch(async (error: unknown) => {
    await server.close();
    await storage.destroy();
    throw error;
  });
  if (takingScreenshots) await mkdir(SCREENSHOTS, { recursive: true });
  const basic = `Basic ${Buffer.from(`${ROOT_ACCESS_KEY_ID}:${ROOT_SECRET}`).toString('base64')}`;
const signOut = async (page: Page): Promise<void> => {
    await page.goto(server.url);
    const signInHeading = page.getByRole('heading', { name: 'Sign in to Portcullis' });
    const signOutButton = page.getByRole('button', { name: 'Sign out' });
    await signInHeading.or(signOutButton).first().waitFor();
    if (!(await signInHeading.isVisible())) {
      // The shell may already be on its way out: a page whose cookie was cleared shows the session
      // it remembers until its first request comes back unauthenticated. Either way ends signed out.
      // Each click attempt is short and awaited, so none is left pending to sign out a later page.
      for (let attempt = 0; attempt < 20 && !(await signInHeading.isVisible()); attempt++) {
        await signOutButton.click({ timeout: 1_000 }).catch(() => undefined);
      }
      await signInHeading.waitFor();
      // Start from a freshly loaded sign-in page, as a new visitor would.
      await page.goto(server.url);
      await signInHeading.waitFor();
    }
  };
  return {
    get server() {
      return server;
    },
    browser,
    async restart() {
      const port = server.running.port;
      await server.close();
      server = await startTestServer({ env: { ...env, PORT: String(port) }, storage });
    },
    async root<T>(query: string, variables?: Record<string, unknown>) {
      const response = await server.gql<T>(query, variables, { authorization: basic });
      if (response.body.errors !== undefined) throw new Error(`API error: ${JSON.stringify(response.body.errors)}`);
      return response.body.data as T;
    },
    async signIn(page, userName, password) {
      await signOut(page);
      await page.getByLabel('Account ID or alias', { exact: true }).fill(ACCOUNT_ID);
      await page.getByLabel('User name', { exact: true }).fill(userName);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
    },
    signOut,
    async screenshot(page, name, options = {}) {
      if (!takingScreenshots) return;
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: options.viewportOnly !== true, animations: 'disabled' });
    },
    async close() {
      await browser.close();
      await server.close();
      await storage.destroy();
    },
  };
}
