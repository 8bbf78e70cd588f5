/**
 * The `daxsim view` page in a real browser (Chromium through playwright-core): stepping with
 * buttons and keys, the state panels at a step, the timeline, a screenshot kept in
 * test-artifacts/, and the load time of a 10,000-step run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAssets } from '../../src/view/page.js';
import { recordView } from '../../src/view/record.js';
import { startViewServer } from '../../src/view/server.js';
import { loadScenario } from '../../src/workload/scenario/load.js';
import { daxsim, ROOT, tempFiles } from '../cli/helpers.js';
import { haveChromium, launchChromium } from './chromium.js';
import { exportedData } from './helpers.js';
import { longScenario } from './long-scenario.js';

const ARTIFACTS = join(ROOT, 'test-artifacts');

function exportOf(args: string[], name: string): string {
  const file = join(tempFiles({}), name);
  const r = daxsim(['view', ...args, '--export', file]);
  if (r.code !== 0) throw new Error(r.stderr);
  return file;
}

async function openPage(page: Page, url: string): Promise<number> {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const t0 = performance.now();
  await page.goto(url);
  await page.getByTestId('step-label').waitFor();
  const ms = performance.now() - t0;
  const origin = new URL(url).origin;
  for (const r of requests)
    expect(r.startsWith('file:') || r.startsWith('data:') || r.startsWith(origin), r).toBe(true);
  return ms;
}

const label = (page: Page) => page.getByTestId('step-label').getAttribute('data-step').then(Number);

describe.runIf(haveChromium())('daxsim view in Chromium', () => {
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let review: string;

  beforeAll(async () => {
    browser = await launchChromium();
    review = exportOf(['builtin:review-thread', '--mutation', 'review-downgrade-wake-one'], 'review.html');
  });
  afterAll(() => browser?.close());

  it('V1: stepped to the end, the export of review-thread with review-downgrade-wake-one shows t3 asleep on data:0x200', async () => {
    const page = await browser.context.newPage();
    await openPage(page, `file://${review}`);
    for (const id of ['thread-table', 'tree', 'page-tables', 'wait-queues', 'fallbacks', 'timeline'])
      await expect(page.getByTestId(id).count(), id).resolves.toBe(1);
    expect(await label(page)).toBe(0);
    const next = page.getByTestId('step-next');
    while (await next.isEnabled()) await next.click();
    await expect(page.getByTestId('step-label').textContent()).resolves.toMatch(/^step 42 \/ 42/);
    const t3 = page.getByTestId('waiter').filter({ hasText: 't3' });
    await expect(t3.getAttribute('data-key')).resolves.toBe('data:0x200');
    await expect(t3.getAttribute('data-state')).resolves.toBe('asleep');
    await expect(t3.textContent()).resolves.toContain('t3 asleep on key data:0x200');
    await expect(page.getByTestId('thread-table').textContent()).resolves.toContain('sleeping forever');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'view-review-thread-end.png') });
    await page.close();
  });

  it('steps with buttons and arrow keys; shows each tree, page table and fallback at the step', async () => {
    const page = await browser.context.newPage();
    await openPage(page, `file://${review}`);
    await page.keyboard.press('ArrowRight');
    expect(await label(page)).toBe(1);
    // Step 1: setup's 2 MiB read fault maps the huge zero page (M8) at index 0x200.
    const entry = page.getByTestId('tree').locator('tr[data-index="0x200"]');
    await expect(entry.getAttribute('data-kind')).resolves.toBe('pmd-zero');
    await expect(page.getByTestId('page-tables').locator('tr[data-kind="huge"]').count()).resolves.toBe(1);
    await page.keyboard.press('Shift+ArrowRight');
    expect(await label(page)).toBe(11);
    await page.getByTestId('step-prev').click();
    expect(await label(page)).toBe(10);
    await page.keyboard.press('End');
    expect(await label(page)).toBe(42);
    await expect(
      page.getByTestId('page-tables').locator('tr[data-kind="table"]').textContent(),
    ).resolves.toMatch(/PTE table, 2 PTEs/);
    const bar = page.getByTestId('fallbacks').locator('[data-reason="vma-bounds"]');
    await expect(bar.getAttribute('data-count')).resolves.toBe('3');
    await page.keyboard.press('Home');
    await expect(bar.getAttribute('data-count')).resolves.toBe('0');
    await page.close();
  });

  it('a timeline lane jumps to a step of its task when clicked; a table row to its step', async () => {
    const page = await browser.context.newPage();
    await openPage(page, `file://${review}`);
    const data = exportedData(review);
    const t3 = data.tasks.find((t) => t.name === 't3')!.id;
    const runs = data.ran.flatMap((t, i) => (t === t3 ? [i + 1] : []));
    const target = runs[Math.floor(runs.length / 2)]!;
    const lane = page
      .getByTestId('timeline')
      .locator('[data-testid="timeline-lane"][data-task="t3"] .lane-track');
    const box = (await lane.boundingBox())!;
    await lane.click({ position: { x: (target / data.run.steps) * box.width, y: box.height / 2 } });
    expect(await label(page)).toBe(target);
    await expect(page.getByTestId('step-label').textContent()).resolves.toContain('t3 ran');
    await page.getByTestId('thread-table').locator('[data-step="28"]').first().click();
    expect(await label(page)).toBe(28);
    await page.close();
  });

  it('the served page works the same (app.js, app.css and run.json from 127.0.0.1)', async () => {
    const data = recordView(loadScenario('builtin:review-thread'), {
      mutations: ['review-downgrade-wake-one'],
    });
    const server = await startViewServer(data, loadAssets());
    try {
      const page = await browser.context.newPage();
      await openPage(page, server.url);
      await page.keyboard.press('End');
      await expect(page.getByTestId('waiter').getAttribute('data-key')).resolves.toBe('data:0x200');
      await page.close();
    } finally {
      await server.close();
    }
  });

  it('a 10,000-step run loads in under 2 s', async () => {
    const yaml = join(tempFiles({}), 'long.yaml');
    writeFileSync(yaml, longScenario());
    const file = exportOf([yaml], 'long.html');
    const page = await browser.context.newPage();
    const ms = await openPage(page, `file://${file}`);
    console.info(`view: a 10,000-step export loaded in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(2000);
    const steps = Number((await page.getByTestId('step-label').textContent())!.match(/\/ (\d+)/)![1]);
    expect(steps).toBeGreaterThanOrEqual(10_000);
    await page.keyboard.press('End');
    expect(await label(page)).toBe(steps);
    await page.screenshot({ path: join(ARTIFACTS, 'view-long-run-end.png') });
    await page.close();
  });
});
