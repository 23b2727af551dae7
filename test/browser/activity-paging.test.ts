/**
 * The Activity view loads the latest page of the change log, pages back on demand ("Load earlier
 * changes") and follows live changes from there; the policy page shows a version just saved, and
 * drops an access preview computed for the documents before the save. At desktop and phone widths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { openDashboard, ROOT_PASSWORD } from './support/dashboard.ts';
import type { Dashboard } from './support/dashboard.ts';

const WIDTHS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

describe.skipIf(!chromiumAvailable)('activity paging and a fresh version preview', { timeout: 120_000 }, () => {
  let dashboard: Dashboard;

  beforeAll(async () => {
    dashboard = await openDashboard();
  }, 180_000);

  afterAll(async () => {
    await dashboard?.close();
  });

  for (const size of WIDTHS) {
    it(`shows the latest 100 changes, loads earlier ones on demand, and adds live ones on top (${size.name})`, async () => {
      const prefix = `pager-${size.name}`;
      // 150 changes: more than one page.
      for (let batch = 0; batch < 3; batch++) {
        const calls = Array.from({ length: 50 }, (_, i) => `u${i}: createUser(input: { userName: "${prefix}-${batch * 50 + i}" }) { __typename }`);
        await dashboard.root(`mutation { ${calls.join(' ')} }`);
      }
      const page = await dashboard.browser.newPage({ width: size.width, height: size.height });
      await dashboard.signIn(page, 'root', ROOT_PASSWORD);
      await page.getByRole('link', { name: 'Activity' }).click();
      const table = page.getByRole('table', { name: 'Changes, newest first' });
      const rows = table.locator('tbody > tr');
      await rows.filter({ hasText: `user/${prefix}-149` }).waitFor();
      expect(await rows.count()).toBe(100);
      expect(await rows.filter({ hasText: `user/${prefix}-0` }).count()).toBe(0);

      await page.getByRole('button', { name: 'Load earlier changes' }).click();
      await rows.filter({ hasText: `user/${prefix}-0` }).waitFor();
      expect(await rows.count()).toBeGreaterThan(150);

      await page.locator('[data-live-status="connected"]').waitFor();
      await dashboard.root('mutation($n: String!) { createUser(input: { userName: $n }) { __typename } }', { n: `${prefix}-live` });
      await rows.first().filter({ hasText: `user/${prefix}-live` }).waitFor();
      const revisions = (await rows.locator('td:first-child').allTextContents()).map(Number);
      expect(new Set(revisions).size).toBe(revisions.length);
      expect(revisions).toEqual([...revisions].sort((a, b) => b - a));
      await page.close();
    });

    it(`shows the version just saved and drops the preview of the documents before it (${size.name})`, async () => {
      const policyName = `FreshPreview-${size.name}`;
      const userName = `previewer-${size.name}`;
      const v1 = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
      await dashboard.root('mutation($n: String!, $d: String!) { createPolicy(input: { policyName: $n, policyDocument: $d }) { __typename } }', { n: policyName, d: v1 });
      await dashboard.root('mutation($n: String!) { createUser(input: { userName: $n }) { __typename } }', { n: userName });
      const arn = `arn:aws:iam::111122223333:policy/${policyName}`;
      const page = await dashboard.browser.newPage({ width: size.width, height: size.height });
      await dashboard.signIn(page, 'root', ROOT_PASSWORD);
      await page.goto(`${dashboard.server.url}/policies/${encodeURIComponent(arn)}`);
      await page.getByRole('heading', { name: `Policy ${policyName}` }).waitFor();
      const versions = page.getByRole('table', { name: 'Policy versions' });
      await versions.getByRole('row').filter({ hasText: 'v1' }).getByRole('button', { name: 'View' }).click();

      const editor = page.getByRole('form', { name: 'Create policy version' });
      await editor.getByLabel('Policy document').fill(v1.replace('s3:GetObject', 's3:PutObject'));
      await editor.getByText('Ready to save').waitFor();
      const preview = page.getByRole('form', { name: 'Preview access' });
      await preview.getByLabel(/^Actions/).fill('s3:PutObject');
      await preview.getByRole('combobox', { name: /^Principal ARN/ }).fill(`arn:aws:iam::111122223333:user/${userName}`);
      await preview.getByRole('button', { name: 'Preview' }).click();
      await page.getByRole('table', { name: 'Access preview' }).waitFor();

      await editor.getByRole('button', { name: 'Save version' }).click();
      await page.getByText(/Saved as v2, now the default/).waitFor();
      await page.getByRole('heading', { name: 'Document of v2' }).waitFor();
      expect(await page.getByLabel('Policy document v2').textContent()).toContain('s3:PutObject');
      expect(await page.getByRole('table', { name: 'Access preview' }).count()).toBe(0);
      await page.close();
    });
  }
});
