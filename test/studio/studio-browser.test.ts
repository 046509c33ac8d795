/**
 * The studio in a real browser: Debian's Chromium, driven headless by playwright-core, over a
 * SQLite store with a completed, an interrupted and a failed run. Saves the screenshots of
 * docs/studio.md.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteCheckpointer, WorkflowRunner } from 'arshai';
import { createStudio } from 'arshai/studio';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { reviewWorkflow, seedRuns, XSS } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'arshai-studio-page-'));
const images = join(import.meta.dirname, '../../docs/images');
const checkpointer = new SqliteCheckpointer({ path: join(dir, 'runs.db') });
const studio = createStudio({
  checkpointer,
  runners: [new WorkflowRunner(reviewWorkflow(), { checkpointer })],
  pollMs: 50,
});
let browser: Browser;
let page: Page;
let url = '';
const problems: string[] = [];

beforeAll(async () => {
  await seedRuns(checkpointer);
  url = (await studio.listen()).url;
  browser = await chromium.launch({
    executablePath: inject('chromiumPath'),
    args: ['--no-sandbox'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(url)) problems.push(`request outside the studio: ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await studio.close();
  await checkpointer.close();
  rmSync(dir, { recursive: true, force: true });
});

const texts = (selector: string) => page.locator(selector).allTextContents();

it('lists the runs newest first, with their status, and filters them', async () => {
  await page.goto(url);
  await page.locator('#runs tbody tr.run').nth(2).waitFor();
  expect(await texts('#runs tbody tr.run td:first-child')).toEqual([
    'run-failed',
    'run-waiting',
    'run-completed',
  ]);
  expect(await texts('#runs tbody tr.run .status')).toEqual(['failed', 'interrupted', 'completed']);
  expect(await page.locator('#page').textContent()).toBe('1–3 of 3');
  await page.screenshot({ path: join(images, 'studio-runs.png') });
  await page.selectOption('#filter-status', 'failed');
  await expect.poll(() => texts('#runs tbody tr.run td:first-child')).toEqual(['run-failed']);
  await page.selectOption('#filter-status', '');
  await expect.poll(() => page.locator('#runs tbody tr.run').count()).toBe(3);
});

it('a completed run: the path lit on the graph, a step’s state diff, the XSS string shown as text', async () => {
  await page.locator('#runs tbody tr.run', { hasText: 'run-completed' }).click();
  await expect.poll(() => page.locator('#run-id').textContent()).toBe('run-completed');
  const visited = await page
    .locator('.graph g.node.visited')
    .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-node')));
  expect(visited.sort()).toEqual([
    '__end__',
    '__start__',
    'decide',
    'history',
    'intake',
    'policy',
    'reply',
  ]);
  expect(await page.locator('.graph g.node[data-node="approve"]').getAttribute('class')).toBe(
    'node node',
  );
  expect(
    await page.locator('.graph g.edge.taken[data-from="decide"][data-to="reply"]').count(),
  ).toBe(1);
  expect(
    await page.locator('.graph g.edge.taken[data-from="decide"][data-to="approve"]').count(),
  ).toBe(0);
  // The parallel branches sit side by side in the drawing.
  const [policy, history] = await Promise.all(
    ['policy', 'history'].map((n) =>
      page.locator(`.graph g.node[data-node="${n}"] rect`).boundingBox(),
    ),
  );
  expect(policy?.y).toBe(history?.y);

  const intake = page.locator('details.step', { hasText: 'intake' }).first();
  await intake.locator('summary > span').first().click();
  const after = intake.locator('tr.change', { hasText: 'note' }).locator('td.after');
  await expect.poll(() => after.textContent()).toBe(XSS);
  expect(await page.locator('img').count()).toBe(0);
  expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
  const parallel = page.locator('details.step', { hasText: 'policy ‖ history' });
  await parallel.locator('summary > span').first().click();
  expect(await parallel.locator('tr.change td.path').allTextContents()).toContain(
    'agentData.policy',
  );
  await page.screenshot({ path: join(images, 'studio-run.png'), fullPage: true });
});

it('a failed run: the failed node marked, its error shown', async () => {
  await page.goto(`${url}#/runs/run-failed`);
  await page.locator('#run-error').waitFor();
  expect(await page.locator('#run-error').textContent()).toContain('the intake service is down');
  expect(await page.locator('.graph g.node.failed').getAttribute('data-node')).toBe('intake');
});

it('a waiting run: its question and a form; the answer resumes it and the page follows it live', async () => {
  await page.goto(`${url}#/`);
  await page.locator('#runs tbody tr.run', { hasText: 'run-waiting' }).click();
  await page.locator('#ask').waitFor();
  expect(await page.locator('#ask-question').textContent()).toBe('Refund $900 to the customer?');
  expect(await page.locator('.graph g.node.current').getAttribute('data-node')).toBe('approve');
  await page.screenshot({ path: join(images, 'studio-interrupt.png'), fullPage: true });
  await page.evaluate(() => {
    (globalThis as { __same?: boolean }).__same = true; // gone if the page reloads
  });
  await page.locator('#answer-approve').click();
  await page.locator('.meta .status.completed').waitFor({ timeout: 10_000 });
  expect(await page.evaluate(() => (globalThis as { __same?: boolean }).__same)).toBe(true);
  expect(await page.locator('#ask').count()).toBe(0);
  const reply = page.locator('details.step', { hasText: 'reply' }).last();
  await reply.locator('summary > span').first().click();
  expect(await reply.locator('td.after').allTextContents()).toContain('done: "approve"');
  expect((await checkpointer.getLatest('run-waiting'))?.status).toBe('completed');
});

it('fork from a step opens the new run, which runs to the end', async () => {
  await page.goto(`${url}#/runs/run-completed`);
  await page.locator('details.step', { hasText: 'intake' }).first().locator('button.fork').click();
  await expect.poll(() => page.locator('#run-id').textContent()).not.toBe('run-completed');
  await page.locator('.meta .status.completed').waitFor({ timeout: 10_000 });
  expect(await page.locator('.meta').textContent()).toContain('forked from run-completed step 1');
});

it('the page loaded nothing from outside, and raised no error', async () => {
  const png = readFileSync(join(images, 'studio-run.png'));
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  expect(problems, problems.join('\n')).toEqual([]);
});
