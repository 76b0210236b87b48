// Changing one's own password in a real browser, with JavaScript on and off: a mistake is
// explained beside its field, a success is confirmed, and the new password signs in.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { REVIEWER, launch, openPage, signIn, startServer } from './harness.mjs';

for (const js of [true, false]) {
  describe(`account page with JavaScript ${js ? 'on' : 'off'}`, () => {
    let server, browser;
    before(async () => { server = await startServer(); browser = await launch(); });
    after(async () => { await browser?.close(); await server?.stop(); });

    test('a reviewer changes their password and signs in with the new one', async () => {
      const fresh = 'fresh-lantern-basin-77';
      const { page, ready } = await openPage(browser, js);
      await signIn(page, ready, server.base);
      await page.getByRole('link', { name: 'Account' }).click();
      await page.getByRole('heading', { name: 'Change your password' }).waitFor();
      await ready();

      await page.getByLabel('Current password', { exact: true }).fill(REVIEWER.password);
      await page.getByLabel('New password', { exact: true }).fill('password12345');
      await page.getByLabel('Confirm new password').fill('password12345');
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByText('This password is too easy to guess', { exact: false }).waitFor();

      await page.getByLabel('Current password', { exact: true }).fill(REVIEWER.password);
      await page.getByLabel('New password', { exact: true }).fill(fresh);
      await page.getByLabel('Confirm new password').fill(fresh);
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByText('Your password was changed.', { exact: false }).waitFor();

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await ready();
      await page.getByLabel('Username').fill(REVIEWER.username);
      await page.getByLabel('Password').fill(fresh);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Review queue' }).waitFor();
      assert.ok(await page.getByText(REVIEWER.username, { exact: false }).first().isVisible());
    });
  });
}
