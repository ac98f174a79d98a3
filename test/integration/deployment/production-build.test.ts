import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { LuccaConnectionReport } from '../../../src/activities/lucca-connection-activities';
import { loadConfig } from '../../../src/config/load-config';
import { buildRuntime } from '../../../src/runtime/connectors-runtime';
import { generateLuccaTenant, LuccaSandbox } from '../../../dev/simulators/lucca';
import { startTemporalTestEnv } from '../../support/temporal-test-env';
import { writeTestConfigFile } from '../../support/test-config-file';

const root = resolve(__dirname, '../../..');
const T = 'prodbuild';
const KEY = randomUUID();

/**
 * The production build as the image runs it: `npm run build` (TypeScript → dist/, workflows bundled
 * ahead of time), production dependencies only (`npm ci --omit=dev`: no tsx, no TypeScript), every
 * process started with plain `node`. The compiled worker runs a workflow on a real server.
 */
describe('production build', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-prod-'));
  const app = join(dir, 'app');
  let env: TestWorkflowEnvironment;
  let lucca: LuccaSandbox;
  let worker: ChildProcess | undefined;
  let workerOutput = '';

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr}`);
    // The image's layout: package files, production dependencies, dist/, bin/, config/.
    for (const entry of ['package.json', 'package-lock.json', 'dist', 'bin', 'config', 'migrations'])
      cpSync(join(root, entry), join(app, entry), { recursive: true });
    const install = spawnSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], { cwd: app, encoding: 'utf8' });
    if (install.status !== 0) throw new Error(`npm ci --omit=dev failed: ${install.stderr}`);

    lucca = await LuccaSandbox.start();
    lucca.addTenant(T, generateLuccaTenant({ tenantId: T, apiKey: KEY, employees: 20, seed: 5 }));
    writeFileSync(join(dir, 'lucca.key'), KEY);
    writeTestConfigFile(dir, {
      taskQueue: `prod-build-${process.pid}`,
      tenantsYaml: [`  - id: ${T}`, `    lucca: { baseUrl: "${lucca.baseUrlFor(T)}", apiKey: "file:lucca.key" }`],
    });
    env = await startTemporalTestEnv({
      dataConverter: buildRuntime({ loaded: loadConfig(join(dir, 'config.yaml')), settings: { dataDir: join(dir, 'data') } }).dataConverter,
    });
  });

  afterAll(async () => {
    worker?.kill('SIGTERM');
    await env?.teardown();
    await lucca?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const processEnv = () => ({
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    LUCCA_CONNECTORS_CONFIG: join(dir, 'config.yaml'),
    LUCCA_CONNECTORS_TEMPORAL_ADDRESS: env.address,
    LUCCA_CONNECTORS_DATA_DIR: join(dir, 'data'),
    LUCCA_CONNECTORS_HEALTH_PORT: '0',
    LUCCA_CONNECTORS_METRICS_ADDRESS: '127.0.0.1:0',
  });

  it('installs without dev dependencies: no tsx, no TypeScript at run time', () => {
    expect(() => require.resolve('tsx/cli', { paths: [app] })).toThrow();
    expect(() => require.resolve('typescript', { paths: [app] })).toThrow();
    expect(readFileSync(join(app, 'dist', 'workflow-bundle.js'), 'utf8')).toContain('elevoUserSync');
  });

  it('runs the CLI with plain node', () => {
    const r = spawnSync(process.execPath, [join(app, 'bin', 'lucca-connectors.js'), 'tenants'], {
      cwd: app,
      encoding: 'utf8',
      env: processEnv(),
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^${T}\\s`, 'm'));
  });

  it('runs workflows on the compiled worker with the prebuilt bundle', async () => {
    worker = spawn(process.execPath, [join(app, 'dist', 'worker.js')], { cwd: app, env: processEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    worker.stdout!.on('data', (d: Buffer) => (workerOutput += d.toString()));
    worker.stderr!.on('data', (d: Buffer) => (workerOutput += d.toString()));
    const report = (await env.client.workflow.execute('luccaConnectionCheck', {
      taskQueue: `prod-build-${process.pid}`,
      workflowId: `prod-build-check-${Date.now()}`,
      args: [{ tenantId: T }],
    })) as LuccaConnectionReport;
    expect(report.tenantId).toBe(T);
    expect(report.currentEmployees).toBeGreaterThan(0);
    expect(workerOutput).toContain('prebuilt bundle');
    expect(workerOutput).not.toMatch(/tsx|ts-node/);
  });
});
