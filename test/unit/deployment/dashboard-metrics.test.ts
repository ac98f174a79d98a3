import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { CONNECTOR_METRICS } from '../../../src/observability/connector-metrics';
import { ALERTS_METRIC } from '../../../src/workflows/raise-alert';

const root = resolve(__dirname, '../../..');

/** Gauges the change-detection work (issue 23) exports; written against before they exist. */
const FRESHNESS_METRICS = ['lucca_connectors_freshness_lag_seconds', 'lucca_connectors_connector_health'];

/** The SDK's metrics, as its Prometheus exporter names them: `temporal_` + the name in the native module. */
const SDK_PREFIX = 'temporal_';
const HISTOGRAM_SERIES = /_(bucket|sum|count)$/;

interface Dashboard {
  panels: Array<{ targets?: Array<{ expr: string }> }>;
  templating: { list: Array<{ query?: unknown }> };
}
interface RuleFile {
  groups: Array<{ rules: Array<{ expr: string; record?: string }> }>;
}

const metricNames = (expr: string) => [...expr.matchAll(/\b(temporal_[a-z0-9_]+|lucca_connectors[a-z0-9_:]*)/g)].map((m) => m[1]!);

const dashboard = JSON.parse(readFileSync(join(root, 'deploy/grafana/lucca-connectors.json'), 'utf8')) as Dashboard;
const rules = parse(readFileSync(join(root, 'deploy/prometheus/lucca-connectors-rules.yaml'), 'utf8')) as RuleFile;
const dashboardExprs = [
  ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)),
  ...dashboard.templating.list.map((v) => (typeof v.query === 'string' ? v.query : '')),
];
const ruleExprs = rules.groups.flatMap((g) => g.rules.map((r) => r.expr));
const recorded = rules.groups.flatMap((g) => g.rules.flatMap((r) => (r.record ? [r.record] : [])));

/** The strings of the SDK's native module, where its metric names are defined. */
function nativeModuleText(): string {
  const dir = join(root, 'node_modules/@temporalio/core-bridge/releases');
  const platform = readdirSync(dir).find(
    (d) => d.includes(process.arch === 'x64' ? 'x86_64' : 'aarch64') && d.includes(process.platform === 'darwin' ? 'darwin' : 'linux'),
  )!;
  return readFileSync(join(dir, platform, 'index.node')).toString('latin1');
}

describe('the dashboard and the alert rules query only metrics that exist', () => {
  const connectorNames = new Set<string>([...Object.values(CONNECTOR_METRICS), ALERTS_METRIC, ...FRESHNESS_METRICS, ...recorded]);
  const sdk = nativeModuleText();
  const exists = (name: string) => {
    const base = name.replace(HISTOGRAM_SERIES, '');
    if (connectorNames.has(name) || connectorNames.has(base)) return true;
    return name.startsWith(SDK_PREFIX) && sdk.includes(base.slice(SDK_PREFIX.length));
  };

  it('finds the metric names in the queries at all', () => {
    expect(dashboardExprs.flatMap(metricNames).length).toBeGreaterThanOrEqual(20);
    expect(ruleExprs.flatMap(metricNames).length).toBeGreaterThan(15);
  });

  it('every name in the dashboard is exported by the SDK or the connectors, or recorded by a rule', () => {
    expect([...new Set(dashboardExprs.flatMap(metricNames))].filter((n) => !exists(n))).toEqual([]);
  });

  it('every name in the alert rules is exported by the SDK or the connectors', () => {
    expect([...new Set(ruleExprs.flatMap(metricNames))].filter((n) => !exists(n))).toEqual([]);
  });

  it('a misspelt name would be caught (the check can fail)', () => {
    expect(exists('temporal_activity_schedule_to_start_latency_bucket')).toBe(true);
    expect(exists('temporal_activity_schedule_to_start_latencies_bucket')).toBe(false);
    expect(exists('lucca_connectors_http_response')).toBe(false);
  });
});
