import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/** `npm run lint:openapi`: Redocly CLI (pinned devDependency), recommended rules, no error and no warning. */
describe('the OpenAPI contracts lint clean', () => {
  it.each(['api/elevo-provisioning.openapi.yaml', 'api/aequivalent-orders.openapi.yaml'])('%s', (file) => {
    const root = resolve(__dirname, '../..');
    const run = spawnSync(process.execPath, [resolve(root, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', '--format=stylish', file], {
      cwd: root,
      encoding: 'utf8',
      // Offline and quiet: no telemetry, no update check.
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', CI: 'true' },
      timeout: 120_000,
    });
    const report = `${run.stdout}\n${run.stderr}`;
    expect({
      status: run.status,
      problems: report.split('\n').filter((l) => /\b(error|warning)\b/.test(l) && !/Deprecation/i.test(l)),
    }).toEqual({ status: 0, problems: [] });
  });
});
