import { Context } from '@temporalio/activity';
import type { MetricCounter, MetricHistogram, MetricMeter } from '@temporalio/common';

/**
 * The connectors' own metrics, exported by the worker's Prometheus endpoint next to the SDK's
 * (deploy/prometheus/ alerts on them, deploy/grafana/ shows them). Recorded inside activities only,
 * through the activity's meter (its tags: namespace, task queue, activity type); elsewhere (CLI,
 * tests without a worker) nothing is recorded. Labels carry no personal data: system names and
 * HTTP status codes.
 */
export const CONNECTOR_METRICS = {
  httpResponses: 'lucca_connectors_http_responses',
  luccaBudgetWait: 'lucca_connectors_lucca_budget_wait',
  luccaBudgetBusy: 'lucca_connectors_lucca_budget_busy',
} as const;

const counters = new WeakMap<MetricMeter, Map<string, MetricCounter>>();
const histograms = new WeakMap<MetricMeter, Map<string, MetricHistogram>>();

function activityMeter(): MetricMeter | undefined {
  try {
    return Context.current().metricMeter;
  } catch {
    return undefined; // not inside an activity
  }
}

function counter(name: string, description: string): MetricCounter | undefined {
  const meter = activityMeter();
  if (!meter) return undefined;
  const byName = counters.get(meter) ?? new Map<string, MetricCounter>();
  counters.set(meter, byName);
  if (!byName.has(name)) byName.set(name, meter.createCounter(name, undefined, description));
  return byName.get(name);
}

function histogram(name: string, unit: string, description: string): MetricHistogram | undefined {
  const meter = activityMeter();
  if (!meter) return undefined;
  const byName = histograms.get(meter) ?? new Map<string, MetricHistogram>();
  histograms.set(meter, byName);
  if (!byName.has(name)) byName.set(name, meter.createHistogram(name, 'int', unit, description));
  return byName.get(name);
}

/** One HTTP answer from Lucca, Elevo or Aequivalent (429s show the budget is not enough). */
export function countHttpResponse(system: string, status: number): void {
  counter(CONNECTOR_METRICS.httpResponses, 'HTTP responses from the connected systems, by system and status')?.add(1, {
    system,
    status: String(status),
  });
}

/** How long a Lucca request waited for a permit of the shared per-domain budget. */
export function recordLuccaBudgetWait(ms: number): void {
  histogram(CONNECTOR_METRICS.luccaBudgetWait, 'ms', 'Wait for a permit of the shared Lucca request budget')?.record(
    Math.max(0, Math.round(ms)),
  );
}

/** An activity gave its slot back because no Lucca permit came in time (LuccaBudgetBusy). */
export function countLuccaBudgetBusy(): void {
  counter(CONNECTOR_METRICS.luccaBudgetBusy, 'Activities that gave their slot back for want of a Lucca permit')?.add(1);
}
