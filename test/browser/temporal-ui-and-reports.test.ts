import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { workflowUiLink } from '../../src/client/ui-link';
import type { RunReport } from '../../src/connectors/elevo-user-sync/domain/run-report';
import { renderElevoRunReport } from '../../src/connectors/elevo-user-sync/report/render-run-report';
import type { ElevoSyncResult } from '../../src/connectors/elevo-user-sync/contract';
import { ensureChromium } from '../support/chromium';
import { startElevoSyncWorld, type ElevoSyncWorld } from '../support/elevo-sync-world';
import { freePort } from '../support/free-port';
import { startUiCodecServer } from '../support/ui-codec-server';

const TENANT = 'browser';
const LUCCA_KEY = '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a';
const ELEVO_TOKEN = 'browser-elevo-token';

/**
 * What an operator sees, in a real browser (headless Chromium from Debian, driven by
 * playwright-core): the Temporal Web UI opened at the link we print shows the run's decoded input
 * and result from both local UI origins, and the HTML report opens on its own.
 */
describe('in a browser: the Temporal UI link of a run, decoded, and the HTML report', () => {
  let world: ElevoSyncWorld;
  let browser: Browser;
  let uiPort: number;
  let dir: string;
  let run: { workflowId: string; runId: string; result: ElevoSyncResult };

  beforeAll(async () => {
    const executablePath = ensureChromium();
    dir = mkdtempSync(join(tmpdir(), 'lc-browser-'));
    uiPort = await freePort();
    world = await startElevoSyncWorld([{ id: TENANT, luccaApiKey: LUCCA_KEY, elevoToken: ELEVO_TOKEN, employees: 30, seed: 11 }], {
      ui: {
        port: uiPort,
        startCodecServer: (codec) => startUiCodecServer(codec, [`http://127.0.0.1:${uiPort}`, `http://localhost:${uiPort}`]),
      },
    });
    browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });

    const workflowId = `elevo-user-sync/${TENANT}/2026-11-20/browser`;
    const handle = await world.harness.env.client.workflow.start('elevoUserSync', {
      workflowId,
      taskQueue: world.harness.taskQueue,
      args: [{ tenantId: TENANT, runDate: '2026-11-20' }],
    });
    run = { workflowId, runId: handle.firstExecutionRunId, result: (await handle.result()) as ElevoSyncResult };
  });
  afterAll(async () => {
    await browser?.close();
    await world?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const host of ['127.0.0.1', 'localhost']) {
    it(`the printed link opens the run at http://${host}, with its input and result decoded`, async () => {
      const page = await browser.newPage();
      try {
        const link = workflowUiLink(`http://${host}:${uiPort}`, 'default', run.workflowId, run.runId);
        const response = await page.goto(link, { waitUntil: 'domcontentloaded' });
        expect(response?.ok()).toBe(true);
        // Decoded, the input names the tenant and the result its report key; encrypted, neither appears.
        await page.getByText(run.result.reportKey, { exact: false }).first().waitFor({ timeout: 30_000 });
        const text = await page.locator('body').innerText();
        expect(text).toContain(`"tenantId": "${TENANT}"`);
        expect(text).toContain('"runDate": "2026-11-20"');
        expect(text).toContain(`"status": "completed"`);
        expect(text).not.toMatch(/Bad Request|technical difficulties/i);
        expect(text).not.toContain('binary/encrypted');
      } finally {
        await page.close();
      }
    });
  }

  it('the HTML report opens on its own: summary, needs-action lines first, every line, nothing fetched', async () => {
    const report = await world.harness.artifacts.requireJson<RunReport>(run.result.reportKey);
    const file = join(dir, 'report.html');
    writeFileSync(file, renderElevoRunReport(report, 'html'));
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    try {
      await page.goto(`file://${file}`);
      expect(await page.locator('h1').innerText()).toBe(`Elevo user sync — ${TENANT} — 2026-11-20 — completed`);
      expect(await page.locator('table.summary').innerText()).toContain(`${report.applied} applied, ${report.failed} failed`);
      const needsAction = report.lines.filter(
        (l) => l.outcome === 'failed' || (l.action === 'skip' && l.reason !== 'not-yet-started') || l.managerIssue,
      );
      expect(await page.locator('#needs-action').innerText()).toBe(`Needs action (${needsAction.length})`);
      expect(needsAction.length).toBeGreaterThan(0); // the generated tenant has excluded employees
      expect(await page.locator('ol.actions li').count()).toBe(needsAction.length);
      expect(await page.locator('ol.actions li').first().innerText()).toContain('Fix:');
      expect(await page.locator('table.lines tbody tr').count()).toBe(report.lines.length);
      const firstRow = await page.locator('table.lines tbody tr').first().locator('td').first().innerText();
      expect(firstRow).toBe('yes'); // lines that need action come first
      expect(requests).toEqual([`file://${file}`]);
    } finally {
      await page.close();
    }
  });
});
