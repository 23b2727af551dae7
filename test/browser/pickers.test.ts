/**
 * The entity picker wherever a principal ARN is asked, end to end in Chromium at desktop and
 * phone widths: the access explorer's principal, the policy page's access preview, and the
 * create-role form's trusted principals. Each is chosen from the typeahead by part of its name
 * (never typed as an ARN), and what the page then does is checked: the decision is the chosen
 * principal's, the preview runs for it, and the created role trusts exactly the chosen ones.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from './support/accessibility.ts';
import { CHROMIUM_PATH, chromiumAvailable } from './support/browser.ts';
import { ACCOUNT_ID, openDashboard, ROOT_PASSWORD } from './support/dashboard.ts';
import type { Dashboard } from './support/dashboard.ts';

if (!chromiumAvailable) console.warn(`picker browser tests skipped: ${CHROMIUM_PATH} is not installed`);

const WIDTHS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

const USER_ARN = `arn:aws:iam::${ACCOUNT_ID}:user/picked-principal`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/picked-trustee-role`;
const POLICY_ARN = `arn:aws:iam::${ACCOUNT_ID}:policy/PickerPreview`;

describe.skipIf(!chromiumAvailable)('principal pickers', { timeout: 180_000 }, () => {
  let dashboard: Dashboard;

  beforeAll(async () => {
    dashboard = await openDashboard();
    // A user with no permissions (so a decision for it differs from root's), a role to trust, a policy to preview.
    await dashboard.root('mutation { createUser(input: { userName: "picked-principal" }) { __typename } }');
    await dashboard.root('mutation($t: String!) { createRole(input: { roleName: "picked-trustee-role", assumeRolePolicyDocument: $t }) { __typename } }', {
      t: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    });
    await dashboard.root('mutation($d: String!) { createPolicy(input: { policyName: "PickerPreview", policyDocument: $d }) { __typename } }', {
      d: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::media/*' }] }),
    });
  }, 180_000);

  afterAll(async () => {
    await dashboard?.close();
  });

  /** Types part of a name into the picker labelled `label` and chooses the option named `name`. */
  async function pick(page: Page, label: RegExp, typed: string, name: string): Promise<string> {
    const field = page.getByRole('combobox', { name: label });
    await field.fill(typed);
    const option = page.getByRole('listbox', { name: label }).getByRole('option', { name: new RegExp(`^${name} `) });
    await option.click();
    return field.inputValue();
  }

  for (const size of WIDTHS) {
    it(`picks the explorer's principal, the preview's principal and a role's trusted principals (${size.name})`, async () => {
      const page = await dashboard.browser.newPage({ width: size.width, height: size.height });
      await dashboard.signIn(page, 'root', ROOT_PASSWORD);

      // Access explorer: the decision is the picked user's (implicitly denied), not root's (allowed).
      await page.goto(`${dashboard.server.url}/explorer`);
      await expect(pick(page, /^Principal ARN/, 'picked-prin', 'picked-principal')).resolves.toBe(USER_ARN);
      await page.getByLabel(/^Actions/).fill('s3:GetObject');
      await page.getByLabel(/^Resources/).fill('arn:aws:s3:::media/cat.png');
      await page.getByRole('button', { name: 'Decide' }).click();
      await page.getByRole('article', { name: 's3:GetObject on arn:aws:s3:::media/cat.png' }).getByText('Implicitly denied').waitFor();
      await expectAccessible(page, `explorer with the principal picker (${size.name})`);

      // Policy page: the access preview runs for the picked user; a role is offered by name too.
      await page.goto(`${dashboard.server.url}/policies/${encodeURIComponent(POLICY_ARN)}`);
      await page.getByRole('heading', { name: 'Policy PickerPreview' }).waitFor();
      const preview = page.getByRole('form', { name: 'Preview access' });
      await preview.getByLabel(/^Actions/).fill('s3:GetObject');
      await preview.getByLabel(/^Resources/).fill('arn:aws:s3:::media/cat.png');
      await expect(pick(page, /^Principal ARN/, 'picked-trustee', 'picked-trustee-role')).resolves.toBe(ROLE_ARN);
      await expect(pick(page, /^Principal ARN/, 'picked-prin', 'picked-principal')).resolves.toBe(USER_ARN);
      await preview.getByRole('button', { name: 'Preview' }).click();
      await page.getByRole('table', { name: 'Access preview' }).getByRole('row').filter({ hasText: 's3:GetObject' }).waitFor();

      // Create role: two picked principals join the trust policy, and the role trusts exactly them besides the account.
      const roleName = `picked-trust-${size.name}`;
      await page.goto(`${dashboard.server.url}/roles`);
      await page.getByRole('button', { name: 'Create role' }).click();
      const form = page.getByRole('form', { name: 'Create role' });
      await form.getByLabel('Role name').fill(roleName);
      await expect(pick(page, /^Trusted user or role/, 'picked-prin', 'picked-principal')).resolves.toBe(USER_ARN);
      await form.getByRole('button', { name: 'Add to trust policy' }).click();
      await expect(form.getByRole('combobox', { name: /^Trusted user or role/ }).inputValue()).resolves.toBe('');
      await pick(page, /^Trusted user or role/, 'picked-trustee', 'picked-trustee-role');
      await form.getByRole('button', { name: 'Add to trust policy' }).click();
      // The same principal twice is refused with a reason, and the policy is left alone.
      await pick(page, /^Trusted user or role/, 'picked-trustee', 'picked-trustee-role');
      await form.getByRole('button', { name: 'Add to trust policy' }).click();
      await form.getByRole('alert').filter({ hasText: `${ROLE_ARN} is already trusted` }).waitFor();
      await form.getByText('Ready to save').or(form.getByText('No findings.')).first().waitFor();
      await expectAccessible(page, `create role with the trust picker (${size.name})`);
      await form.getByRole('button', { name: 'Create', exact: true }).click();
      await page.getByRole('heading', { name: `Role ${roleName}` }).waitFor();
      const stored = await dashboard.root<{ role: { assumeRolePolicyDocument: string } }>('query($r: String!) { role(roleName: $r) { assumeRolePolicyDocument } }', { r: roleName });
      const trust = JSON.parse(stored.role.assumeRolePolicyDocument) as { Statement: Array<{ Principal: { AWS: string[] }; Action: string }> };
      expect(trust.Statement).toHaveLength(1);
      expect(trust.Statement[0]!.Principal.AWS).toEqual([`arn:aws:iam::${ACCOUNT_ID}:root`, USER_ARN, ROLE_ARN]);
      await page.close();
    });
  }
});
