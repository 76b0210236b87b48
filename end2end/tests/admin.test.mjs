// An admin adds a reviewer in the browser; the reviewer signs in, must choose their own
// password first, then decides on a change. Once with JavaScript and once without.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { change, launch, openPage, startServer } from './harness.mjs';

const ADMIN = { username: 'admin', password: 'admin-plum-orbit-cellar-42' };

async function signInAs(page, ready, base, who) {
  await page.goto(`${base}/login`);
  await ready();
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

for (const js of [true, false]) {
  describe(`admin onboarding with JavaScript ${js ? 'on' : 'off'}`, () => {
    let server, browser;
    before(async () => { server = await startServer(); browser = await launch(); });
    after(async () => { await browser?.close(); await server?.stop(); });

    test('an admin adds a reviewer who changes the initial password and approves', async () => {
      const nora = { username: `nora${js ? 'js' : 'nojs'}`, initial: 'nora-first-pass-2931', own: 'nora-own-choice-7731' };
      const res = await server.api('/api/v1/changes', { method: 'POST', body: JSON.stringify(change('Enable new billing path')) });
      const { id } = await res.json();

      const admin = await openPage(browser, js);
      await signInAs(admin.page, admin.ready, server.base, ADMIN);
      await admin.page.getByRole('heading', { name: 'Review queue' }).waitFor();
      await admin.ready();
      await admin.page.getByRole('link', { name: 'People' }).click();
      await admin.page.getByRole('heading', { name: 'Add a person' }).waitFor();
      await admin.ready();
      const form = admin.page.locator('form', { has: admin.page.getByLabel('Initial password') });
      await form.getByLabel('Username').fill(nora.username);
      await form.getByLabel('Display name').fill('Nora');
      await form.getByLabel('Initial password').fill(nora.initial);
      await form.getByRole('button', { name: 'Add person' }).click();
      await admin.page.getByRole('cell', { name: nora.username, exact: true }).waitFor();
      assert.ok(await admin.page.getByRole('cell', { name: 'must choose a password' }).isVisible());

      const { page, ready } = await openPage(browser, js);
      await signInAs(page, ready, server.base, { username: nora.username, password: nora.initial });
      await page.getByText('Choose your own password before you continue.').waitFor();
      await ready();
      await page.getByLabel('Current password', { exact: true }).fill(nora.initial);
      await page.getByLabel('New password', { exact: true }).fill(nora.own);
      await page.getByLabel('Confirm new password', { exact: true }).fill(nora.own);
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByText('Your password was changed.', { exact: false }).waitFor();

      await page.goto(`${server.base}/changes/${id}`);
      await page.getByRole('heading', { name: 'Enable new billing path' }).waitFor();
      await ready();
      await page.getByLabel('Comment').fill('Checked by Nora.');
      await page.getByLabel('Password').fill(nora.own);
      await page.getByRole('button', { name: 'Approve' }).click();
      await page.locator('dd.status', { hasText: 'approved' }).waitFor();

      const state = await (await server.api(`/api/v1/changes/${id}`)).json();
      assert.equal(state.status, 'approved');
      assert.equal(state.decisions[0].reviewer, nora.username);
    });
  });
}
