// The review queue's pages, once with JavaScript and once without: more pending changes
// than one page holds, the Next link shows the rest (and keeps the filter), the First link
// comes back. A reviewer must be able to reach every pending change, not only the first 50.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { change, launch, openPage, signIn, startServer } from './harness.mjs';

const PAGE = 50;
const TOTAL = PAGE + 3;
const title = (n) => `Queue item ${String(n).padStart(2, '0')}`;

for (const js of [true, false]) {
  describe(`the queue's pages with JavaScript ${js ? 'on' : 'off'}`, () => {
    let server, browser;
    before(async () => {
      server = await startServer();
      browser = await launch();
      // One at a time, so they are queued oldest first in this order (same stakes).
      for (let n = 0; n < TOTAL; n++) {
        const res = await server.api('/api/v1/changes', { method: 'POST', body: JSON.stringify(change(title(n))) });
        assert.equal(res.status, 201);
      }
    });
    after(async () => { await browser?.close(); await server?.stop(); });

    test('Next shows the changes after the first page, First comes back, the filter stays', async () => {
      const { page, ready } = await openPage(browser, js);
      await signIn(page, ready, server.base);
      await page.goto(`${server.base}/?stakes=medium`);
      await ready();
      const rows = page.locator('table.queue tbody tr');
      assert.equal(await rows.count(), PAGE, 'a full first page');
      assert.ok(await page.getByRole('link', { name: title(0), exact: true }).isVisible(), 'oldest first');
      assert.equal(await page.getByRole('link', { name: title(PAGE), exact: true }).count(), 0, 'not yet');
      assert.equal(await page.getByRole('link', { name: '← First page' }).count(), 0, 'already on the first page');

      await page.getByRole('link', { name: `Next ${PAGE} →` }).click();
      await page.getByRole('link', { name: title(TOTAL - 1), exact: true }).waitFor();
      await ready();
      assert.equal(await rows.count(), TOTAL - PAGE, 'the rest, each once');
      for (let n = PAGE; n < TOTAL; n++) {
        assert.ok(await page.getByRole('link', { name: title(n), exact: true }).isVisible(), title(n));
      }
      assert.equal(await page.getByRole('link', { name: title(0), exact: true }).count(), 0, 'the first page is not repeated');
      assert.equal(await page.getByRole('link', { name: `Next ${PAGE} →` }).count(), 0, 'nothing after the last page');
      const url = new URL(page.url());
      assert.equal(url.searchParams.get('stakes'), 'medium', 'the filter is kept');
      assert.ok(url.searchParams.get('after'), 'the page is in the address, so it can be shared');

      await page.getByRole('link', { name: '← First page' }).click();
      await page.getByRole('link', { name: title(0), exact: true }).waitFor();
      assert.equal(await rows.count(), PAGE);
      assert.equal(new URL(page.url()).searchParams.get('stakes'), 'medium');
    });
  });
}
