// The stakes policy in a real browser, with JavaScript on and off: a high-stakes change
// needs two distinct reviewers (the queue and the change page say how far it has got, and
// "needs my review" drops it for the reviewer who approved), and an admin previews a
// stricter policy draft against the pending changes, then saves it with their password.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, REVIEWER, SECOND_REVIEWER, change, launch, openPage, signIn, startServer } from './harness.mjs';

async function approve(page, who, comment) {
  await page.getByLabel('Comment').fill(comment);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.getByText(comment).waitFor();
}

for (const js of [true, false]) {
  describe(`the stakes policy with JavaScript ${js ? 'on' : 'off'}`, () => {
    let server, browser;
    before(async () => { server = await startServer(); browser = await launch(); });
    after(async () => { await browser?.close(); await server?.stop(); });

    test('a high-stakes change needs two distinct reviewers', async () => {
      const title = `Rotate signing keys (${js ? 'js' : 'no-js'})`;
      const res = await server.api('/api/v1/changes', { method: 'POST', body: JSON.stringify(change(title, { stakes: 'high' })) });
      assert.equal(res.status, 201);
      const { id, progress } = await res.json();
      assert.equal(progress, '0 of 2 approvals');

      const rita = await openPage(browser, js);
      await signIn(rita.page, rita.ready, server.base);
      const row = rita.page.locator('table.queue tr', { hasText: title });
      assert.equal((await row.locator('td.progress').textContent()).trim(), '0 of 2 approvals');
      await row.getByRole('link', { name: title }).click();
      await rita.page.getByRole('heading', { name: title }).waitFor();
      await rita.ready();
      const needs = rita.page.locator('section.requirement');
      assert.match(await needs.textContent(), /high: 2 approvals \(reviewer or admin\), one rejection vetoes/);
      await approve(rita.page, REVIEWER, 'Keys rotate cleanly in staging.');
      await rita.page.locator('section.requirement .progress', { hasText: '1 of 2 approvals' }).waitFor();
      assert.equal(await rita.page.locator('dd.status').textContent(), 'pending');
      await rita.page.getByText('You have decided on this revision').waitFor();

      // "Needs my review" leaves it out for rita.
      await rita.page.goto(`${server.base}/`);
      await rita.ready();
      await rita.page.getByLabel('Needs my review').check();
      await rita.page.getByRole('button', { name: 'Filter' }).click();
      await rita.page.waitForURL(/mine=1/);
      await rita.ready();
      assert.equal(await rita.page.getByRole('link', { name: title }).count(), 0);

      const ravi = await openPage(browser, js);
      await signIn(ravi.page, ravi.ready, server.base, SECOND_REVIEWER);
      await ravi.page.goto(`${server.base}/changes/${id}`);
      await ravi.ready();
      await approve(ravi.page, SECOND_REVIEWER, 'Second pair of eyes: fine.');
      await ravi.page.locator('dd.status', { hasText: 'approved' }).waitFor();
      const done = await (await server.api(`/api/v1/changes/${id}`)).json();
      assert.equal(done.status, 'approved');
      assert.deepEqual(done.decisions.map((d) => d.reviewer), [REVIEWER.username, SECOND_REVIEWER.username]);
    });

    test('an admin previews a stricter draft, then saves it', async () => {
      const title = `Bump retention (${js ? 'js' : 'no-js'})`;
      await server.api('/api/v1/changes', { method: 'POST', body: JSON.stringify(change(title)) });
      const admin = await openPage(browser, js);
      await signIn(admin.page, admin.ready, server.base, ADMIN);
      await admin.page.getByRole('link', { name: 'Policy' }).click();
      await admin.page.getByRole('heading', { name: 'Stakes policy' }).waitFor();
      await admin.ready();
      const editor = admin.page.getByLabel('Policy (TOML)');
      const text = await editor.inputValue();
      await editor.fill(text.replace('[tiers.medium]\napprovals = 1', '[tiers.medium]\napprovals = 2'));
      await admin.page.getByRole('button', { name: 'Preview' }).click();
      const preview = admin.page.locator('table.preview tr', { hasText: title });
      await preview.waitFor();
      assert.match(await preview.textContent(), /medium: 1 approval.*medium: 2 approvals/);
      assert.equal(await preview.getAttribute('class'), 'changed');

      await admin.page.getByLabel('Your password').fill(ADMIN.password);
      await admin.page.getByRole('button', { name: /Save as version/ }).click();
      await admin.page.getByText(/Saved as version \d+\./).waitFor();
      const list = await (await server.api('/api/v1/changes?status=pending')).json();
      const mine = list.changes.find((c) => c.title === title);
      assert.equal(mine.progress, '0 of 2 approvals', 'the pending change now needs two');
    });
  });
}
