import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { ensuredTool } from '../../support/go-tool';

const root = resolve(__dirname, '../../..');
const rulesDir = join(root, 'deploy', 'prometheus');
const rulesFile = join(rulesDir, 'lucca-connectors-rules.yaml');
const testsFile = join(rulesDir, 'tests', 'lucca-connectors-rules.test.yaml');
// Built from the Go module proxy on first use (minutes), cached per user afterwards.
const promtool = ensuredTool('ensure-promtool.mjs');

const run = (args: string[]) => spawnSync(promtool!, args, { encoding: 'utf8' });

interface RuleFile {
  groups: Array<{ rules: Array<{ alert?: string; record?: string }> }>;
}
interface RuleTests {
  tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts: unknown[] }>; promql_expr_test?: Array<{ expr: string }> }>;
}

describe('alert rules', () => {
  it('every alert has a unit test where it fires, and every recording rule one where it is evaluated', () => {
    const rules = parse(readFileSync(rulesFile, 'utf8')) as RuleFile;
    const tests = parse(readFileSync(testsFile, 'utf8')) as RuleTests;
    const fired = new Set(
      tests.tests.flatMap((t) => (t.alert_rule_test ?? []).filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname)),
    );
    const evaluated = tests.tests.flatMap((t) => (t.promql_expr_test ?? []).map((e) => e.expr)).join('\n');
    const all = rules.groups.flatMap((g) => g.rules);
    expect(all.filter((r) => r.alert && !fired.has(r.alert)).map((r) => r.alert)).toEqual([]);
    expect(all.filter((r) => r.record && !evaluated.includes(r.record)).map((r) => r.record)).toEqual([]);
  });
});

(promtool ? describe : describe.skip)('alert rules under promtool', () => {
  it('pass `promtool check rules`', () => {
    const r = run(['check', 'rules', rulesFile]);
    expect(r.stderr + r.stdout).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('pass their unit tests (`promtool test rules`)', () => {
    const r = run(['test', 'rules', testsFile]);
    expect({ status: r.status, output: r.stdout + r.stderr }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });

  it('the unit tests catch a rule that watches the wrong thing', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'rules-'));
    try {
      cpSync(rulesDir, scratch, { recursive: true });
      const broken = readFileSync(rulesFile, 'utf8').replace('kind="run-held"', 'kind="run-hold"');
      expect(broken).not.toBe(readFileSync(rulesFile, 'utf8'));
      writeFileSync(join(scratch, 'lucca-connectors-rules.yaml'), broken);
      const r = run(['test', 'rules', join(scratch, 'tests', 'lucca-connectors-rules.test.yaml')]);
      expect(r.status).not.toBe(0);
      expect(r.stdout + r.stderr).toContain('LuccaConnectorsRunHeld');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
