import type { SyncSizeResult } from './measure-elevo-sync';
import type { OrdersResult } from './measure-screening-orders';
import type { RateLimitedResult } from './measure-rate-limited';
import type { LatencySyncResult } from './measure-latency';
import type { ManyTenantsResult } from './measure-many-tenants';

export interface BenchEnvironment {
  date: string;
  commit: string;
  machine: string;
  node: string;
  temporal: string;
  command: string;
  /** How the worker and the plain script ran (Node.js version, compiled). */
  runners: string;
}

export interface BenchResults {
  environment: BenchEnvironment;
  sizes: SyncSizeResult[];
  orders?: OrdersResult;
  rateLimited?: RateLimitedResult;
  latency?: LatencySyncResult[];
  manyTenants?: ManyTenantsResult;
}

const GIB = 1024 ** 3;
const n = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '–');
export const seconds = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`);
export const mib = (bytes: number) => (Number.isFinite(bytes) ? `${Math.round(bytes / 1024 ** 2).toLocaleString('en-US')} MiB` : '–');
export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
export const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

export function syncTable(sizes: SyncSizeResult[]): string {
  const header = ['Elevo user sync', ...sizes.map((s) => `${n(s.employees)} employees`)];
  const row = (label: string, cell: (s: SyncSizeResult) => string) => [label, ...sizes.map(cell)];
  const events = (h: SyncSizeResult['temporal']['first']['history']) =>
    `${n(h.maxEventsPerRun)} max/run · ${h.runs} run(s) · ${n(h.totalEvents)} total`;
  return table(header, [
    row('First sync — Temporal (wall)', (s) => seconds(s.temporal.first.wallMs)),
    row('First sync — plain script (wall)', (s) => seconds(s.plain.first.wallMs)),
    row('**First sync — Temporal / plain**', (s) => `**${ratio(s.temporal.first.wallMs, s.plain.first.wallMs)}**`),
    row('Unchanged re-sync — Temporal (wall)', (s) => seconds(s.temporal.resync.wallMs)),
    row('Unchanged re-sync — plain script (wall)', (s) => seconds(s.plain.resync.wallMs)),
    row('**Unchanged re-sync — Temporal / plain**', (s) => `**${ratio(s.temporal.resync.wallMs, s.plain.resync.wallMs)}**`),
    row('Rounds (medians above) · Temporal / plain of each round, first sync · re-sync', (s) => rounds(s)),
    row(
      'Temporal overhead per run: workflow span outside activities, first sync / re-sync',
      (s) => `${seconds(outsideActivities(s.temporal.first.history))} / ${seconds(outsideActivities(s.temporal.resync.history))}`,
    ),
    row(
      'Lucca requests, first sync (minimum ⌈N/1000⌉ + 2 definitions)',
      (s) => `${n(s.temporal.first.luccaRequests)} (min ${n(s.minimumLuccaRequests)})`,
    ),
    row('Lucca requests, unchanged re-sync (minimum)', (s) => `${n(s.temporal.resync.luccaRequests)} (min ${n(s.minimumLuccaRequests)})`),
    row('Lucca requests, plain script first / re-sync', (s) => `${n(s.plain.first.luccaRequests)} / ${n(s.plain.resync.luccaRequests)}`),
    row('Elevo writes / actual changes, first sync', (s) => `${n(s.temporal.first.elevoWrites)} / ${n(s.temporal.first.changes)}`),
    row('Elevo writes / actual changes, unchanged re-sync', (s) => `${n(s.temporal.resync.elevoWrites)} / ${n(s.temporal.resync.changes)}`),
    row('History events, first sync', (s) => events(s.temporal.first.history)),
    row('History events, unchanged re-sync', (s) => events(s.temporal.resync.history)),
    row('Temporal first sync: time in activities — prepare / apply batches / finalize (of the workflow span)', (s) =>
      breakdown(s.temporal.first.history),
    ),
    row('Temporal re-sync: time in activities — prepare / apply batches / finalize (of the workflow span)', (s) =>
      breakdown(s.temporal.resync.history),
    ),
    row('Largest payload in history (sealed)', (s) =>
      kib(Math.max(s.temporal.first.history.largestPayloadBytes, s.temporal.resync.history.largestPayloadBytes)),
    ),
    // On a machine where runners and simulators share the cores, extra CPU in the worker is extra wall time.
    row(
      'CPU time of the syncing process, first sync — worker / plain script',
      (s) => `${cpu(s.temporal.first.cpuMs)} / ${cpu(s.plain.first.cpuMs)}`,
    ),
    row(
      'CPU time of the syncing process, re-sync — worker / plain script',
      (s) => `${cpu(s.temporal.resync.cpuMs)} / ${cpu(s.plain.resync.cpuMs)}`,
    ),
    row('Worker peak memory (VmHWM, own process)', (s) => mib(s.temporal.workerPeakRssBytes)),
    row('Plain script peak memory (VmHWM)', (s) => mib(s.plain.peakRssBytes)),
    row('Lucca 429 responses', (s) =>
      n(s.temporal.first.lucca429 + s.temporal.resync.lucca429 + s.plain.first.lucca429 + s.plain.resync.lucca429),
    ),
  ]);
}

function cpu(ms: number | undefined): string {
  return ms === undefined || Number.isNaN(ms) ? '–' : seconds(ms);
}

function rounds(s: SyncSizeResult): string {
  const spread = (values: number[]) => {
    const [lo, hi] = [Math.min(...values), Math.max(...values)];
    return lo === hi ? `${lo.toFixed(2)}×` : `${lo.toFixed(2)}–${hi.toFixed(2)}×`;
  };
  return `${s.rounds} · ${spread(s.roundRatios.first)} · ${spread(s.roundRatios.resync)}`;
}

/** Workflow tasks, dispatch, child start and signal: what a run costs beyond its activities' own time. */
function outsideActivities(h: SyncSizeResult['temporal']['first']['history']): number {
  return h.workflowMs - Object.values(h.activityExecutionMs).reduce((a, b) => a + b, 0);
}

function breakdown(h: SyncSizeResult['temporal']['first']['history']): string {
  const a = h.activityExecutionMs;
  return `${seconds(a.prepareElevoSyncPlan ?? 0)} / ${seconds(a.applyElevoSyncBatch ?? 0)} / ${seconds(a.finalizeElevoSyncRun ?? 0)} (of ${seconds(h.workflowMs)})`;
}

export function ordersTable(o: OrdersResult): string {
  const routes = Object.entries(o.luccaByRoute)
    .map(([route, count]) => `${route}: ${n(count)}`)
    .join('; ');
  return table(
    ['Aequivalent screening orders', 'value'],
    [
      ['Pending orders ("Dossier à commander", complete data) / employees in the domain', `${n(o.pending)} / ${n(o.employees)}`],
      ['Found by the intake / order workflows started', `${n(o.candidatesFound)} / ${n(o.started)}`],
      ['Intake start → every order completed (created, written back, CV sent, followed to its report)', seconds(o.wallMs)],
      [
        'Outcomes',
        Object.entries(o.outcomes)
          .map(([k, v]) => `${k}: ${n(v)}`)
          .join(', '),
      ],
      ['Documents received by Aequivalent / orders reporting a file-transfer problem', `${n(o.documents)} / ${n(o.fileTransferProblems)}`],
      ['Dossiers at Aequivalent / **duplicates** (externalReference with > 1 dossier)', `${n(o.dossiers)} / **${n(o.duplicates)}**`],
      [
        'Second intake: candidates / orders started / dossiers after',
        `${n(o.secondIntake.candidates)} / ${n(o.secondIntake.started)} / ${n(o.secondIntake.dossiersAfter)}`,
      ],
      [
        'Lucca requests: intake (definition, status pages, candidates in batches) / per order after the intake',
        `${n(o.intakeLuccaRequests)} / ${o.luccaRequestsPerOrder.toFixed(2)}`,
      ],
      [
        '**Lucca requests per order without files** (everything but the status scan and file downloads)',
        `**${(o.luccaRequestsPerOrderWithoutFiles ?? NaN).toFixed(3)}**`,
      ],
      ['Lucca requests by route (intake + orders)', routes],
      ['Time for the same Lucca requests at 50/min', seconds((o.luccaRequests / 50) * 60_000)],
      ['History events: largest order / intake', `${n(o.maxEventsPerOrder)} / ${n(o.intakeEvents)}`],
      ['Largest payload in history (sealed)', `${kib(o.largestPayloadBytes)} (${o.largestPayloadIn})`],
      ['Worker peak memory (VmHWM)', mib(o.workerPeakRssBytes)],
    ],
  );
}

export function rateLimitedTable(r: RateLimitedResult): string {
  return table(
    ['Rate limits on (Lucca sandbox 50/min + worker budget 50/min)', 'value'],
    [
      [
        'Workload',
        `unchanged re-syncs of ${n(r.employees)} employees, two tenants on one Lucca domain (one budget), each a chain of runs back to back, for ${seconds(r.durationMs)}`,
      ],
      ['Worker processes', r.workers ? `${r.workers}, the second with its clock ${r.skewedWorkerOffset} (libfaketime)` : '1'],
      ['Runs / Lucca requests', `${n(r.runs)} / ${n(r.luccaRequests)}`],
      ['Requests in each full minute from the start', r.perMinute.map(n).join(', ')],
      ['Sustained rate (mean of the full minutes)', `${r.sustainedPerMinute.toFixed(1)} requests/min`],
      ['**Share of the 50/min budget**', `**${(r.budgetShare * 100).toFixed(1)} %**`],
      ['Most requests the sandbox saw in any 60-s window (1-s samples)', n(r.peakWindowRequests)],
      ['**429 responses**', `**${n(r.lucca429)}**`],
      ['Elevo writes', n(r.elevoWrites)],
    ],
  );
}

export function latencyTable(sizes: LatencySyncResult[]): string {
  const l = sizes[0]!.latency;
  const header = [
    `Latency mode (Lucca ${l.lucca} ms, Elevo ${l.elevo} ms, Aequivalent ${l.aequivalent} ms per call; ${sizes[0]!.concurrency} Elevo writes in flight)`,
    ...sizes.map((s) => `${n(s.employees)} employees`),
  ];
  const row = (label: string, cell: (s: LatencySyncResult) => string) => [label, ...sizes.map(cell)];
  return table(header, [
    row('First sync — Temporal (wall)', (s) => seconds(s.temporal.first.wallMs)),
    row('First sync — plain script (wall)', (s) => seconds(s.plain.first.wallMs)),
    row('First sync — physical limit (Lucca pages × latency + Elevo list pages × latency + ⌈writes / concurrency⌉ × latency)', (s) =>
      seconds(s.firstLimitMs),
    ),
    row('**First sync — Temporal / physical limit**', (s) => `**${ratio(s.temporal.first.wallMs, s.firstLimitMs)}**`),
    row('**First sync — Temporal / plain**', (s) => `**${ratio(s.temporal.first.wallMs, s.plain.first.wallMs)}**`),
    row(
      'Unchanged re-sync — Temporal / plain script (wall)',
      (s) => `${seconds(s.temporal.resync.wallMs)} / ${seconds(s.plain.resync.wallMs)}`,
    ),
    row('Unchanged re-sync — physical limit', (s) => seconds(s.resyncLimitMs)),
    row(
      '**Unchanged re-sync — Temporal / physical limit · Temporal / plain**',
      (s) => `**${ratio(s.temporal.resync.wallMs, s.resyncLimitMs)} · ${ratio(s.temporal.resync.wallMs, s.plain.resync.wallMs)}**`,
    ),
    row('Rounds (medians above) · Temporal / plain of each round, first sync · re-sync', (s) => rounds(s)),
    row(
      'Lucca requests / Elevo requests (of which writes), first sync',
      (s) => `${n(s.temporal.first.luccaRequests)} / ${n(s.temporal.first.elevoRequests)} (${n(s.temporal.first.elevoWrites)})`,
    ),
    row('Worker peak memory (VmHWM)', (s) => mib(s.temporal.workerPeakRssBytes)),
  ]);
}

export function manyTenantsTable(m: ManyTenantsResult): string {
  return table(
    ['Many tenants in one morning window', 'value'],
    [
      [
        'Workload',
        `${n(m.tenants)} tenants × ${n(m.employeesPerTenant)} employees (each its own Lucca domain at 50/min and its own budget), first syncs started together on ${m.workers} worker processes`,
      ],
      ['**All started → all completed**', `**${seconds(m.wallMs)}**`],
      ['Completed', `${n(m.completed)} / ${n(m.tenants)}`],
      ['Per-tenant completion: fastest / median / slowest', `${seconds(m.fastestMs)} / ${seconds(m.medianMs)} / ${seconds(m.slowestMs)}`],
      ['**Starved tenants** (not completed, or > 3× the median)', `**${n(m.starved)}**`],
      ['Budget workflows created (one per Lucca domain)', n(m.budgetWorkflows)],
      ['Lucca requests / 429 responses', `${n(m.luccaRequests)} / ${n(m.lucca429)}`],
      ['Elevo writes', n(m.elevoWrites)],
      ['Worker peak memory (VmHWM) per process', m.workerPeakRssBytes.map(mib).join(' / ')],
    ],
  );
}

export interface TargetVerdict {
  target: string;
  measured: string;
  met: boolean | undefined;
}

export function targetVerdicts(results: BenchResults): TargetVerdict[] {
  const bySize = (size: number) => results.sizes.find((s) => s.employees === size);
  const verdicts: TargetVerdict[] = [];
  const s10k = bySize(10_000);
  verdicts.push(
    s10k
      ? {
          target: 'Unchanged re-sync of 10,000: 0 Elevo writes, ≤ 12 Lucca requests',
          measured: `${s10k.temporal.resync.elevoWrites} writes, ${s10k.temporal.resync.luccaRequests} requests`,
          met: s10k.temporal.resync.elevoWrites === 0 && s10k.temporal.resync.luccaRequests <= 12,
        }
      : { target: 'Unchanged re-sync of 10,000', measured: 'not run', met: undefined },
  );
  const s100k = bySize(100_000);
  verdicts.push(
    s100k
      ? {
          target: '100,000 first sync: no payload > 256 KB, no run history > 10,000 events',
          measured: `${s100k.temporal.first.status}; largest payload ${kib(s100k.temporal.first.history.largestPayloadBytes)}, ${n(s100k.temporal.first.history.maxEventsPerRun)} events max per run (${s100k.temporal.first.history.runs} runs)`,
          met:
            s100k.temporal.first.status === 'completed' &&
            s100k.temporal.first.history.largestPayloadBytes <= 256 * 1024 &&
            s100k.temporal.first.history.maxEventsPerRun <= 10_000,
        }
      : { target: '100,000 first sync within history limits', measured: 'not run (opt-in: --full)', met: undefined },
  );
  for (const s of results.sizes) {
    const first = s.temporal.first.wallMs / s.plain.first.wallMs;
    const resync = s.temporal.resync.wallMs / s.plain.resync.wallMs;
    verdicts.push({
      target: `Temporal ≤ 1.2× the plain script, no latency (${n(s.employees)})`,
      measured: `first sync ${first.toFixed(2)}×, re-sync ${resync.toFixed(2)}×`,
      met: first <= 1.2 && resync <= 1.2,
    });
  }
  verdicts.push(
    s100k
      ? {
          target: 'Worker peak memory ≤ 512 MiB at 100,000',
          measured: mib(s100k.temporal.workerPeakRssBytes),
          met: s100k.temporal.workerPeakRssBytes <= GIB / 2,
        }
      : { target: 'Worker peak memory ≤ 512 MiB at 100,000', measured: 'not run (opt-in: --full)', met: undefined },
  );
  const r = results.rateLimited;
  verdicts.push(
    r
      ? {
          target: `Rate-limited, ${r.workers ?? 1} worker(s)${r.skewedWorkerOffset ? `, one at ${r.skewedWorkerOffset}` : ''}: ≥ 90 % of the budget, never a 429`,
          measured: `${(r.budgetShare * 100).toFixed(1)} %, ${r.lucca429} × 429`,
          met: r.budgetShare >= 0.9 && r.lucca429 === 0,
        }
      : { target: 'Rate-limited runs', measured: 'not run', met: undefined },
  );
  for (const s of results.latency ?? []) {
    if (s.employees !== 10_000) continue;
    const r = s.temporal.first.wallMs / s.firstLimitMs;
    verdicts.push({
      target: `First sync of 10,000 at ${s.latency.elevo} ms Elevo latency within 1.25× of the physical limit (${s.concurrency} in flight)`,
      measured: `${r.toFixed(2)}× (${seconds(s.temporal.first.wallMs)} for ${seconds(s.firstLimitMs)})`,
      met: r <= 1.25,
    });
  }
  for (const s of results.latency ?? []) {
    const first = s.temporal.first.wallMs / s.plain.first.wallMs;
    const resync = s.temporal.resync.wallMs / s.plain.resync.wallMs;
    verdicts.push({
      target: `Latency mode: Temporal ≤ 1.2× the plain script (${n(s.employees)})`,
      measured: `first sync ${first.toFixed(2)}×, re-sync ${resync.toFixed(2)}×`,
      met: first <= 1.2 && resync <= 1.2,
    });
  }
  const m = results.manyTenants;
  if (m)
    verdicts.push({
      target: `${n(m.tenants)} tenants × ${n(m.employeesPerTenant)} complete without starvation on two workers`,
      measured: `${m.completed}/${m.tenants} in ${seconds(m.wallMs)}, ${m.starved} starved, slowest ${ratio(m.slowestMs, m.medianMs)} the median`,
      met: m.completed === m.tenants && m.starved === 0,
    });
  if (results.orders) {
    const o = results.orders;
    if (o.luccaRequestsPerOrderWithoutFiles !== undefined)
      verdicts.push({
        target: '≤ 1.05 Lucca requests per order without files',
        measured: `${o.luccaRequestsPerOrderWithoutFiles.toFixed(3)} (${n(o.pending)} orders)`,
        met: o.luccaRequestsPerOrderWithoutFiles <= 1.05,
      });
    verdicts.push({
      target: 'Orders: every pending order placed exactly once',
      measured: `${o.dossiers} dossiers for ${o.pending} orders, ${o.duplicates} duplicates`,
      met: o.dossiers === o.pending && o.duplicates === 0 && o.secondIntake.dossiersAfter === o.dossiers,
    });
  }
  return verdicts;
}

export function renderResults(results: BenchResults): string {
  const e = results.environment;
  const verdicts = targetVerdicts(results);
  return [
    `_Generated by \`${e.command}\` on ${e.date}, commit \`${e.commit}\`._`,
    '',
    `Machine: ${e.machine}; Temporal CLI ${e.temporal} dev server (in-memory, started by the bench); simulators in the bench process (Node.js ${e.node}), the worker and the plain script each in their own process (${e.runners}).`,
    '',
    '### Targets',
    '',
    table(
      ['Target', 'Measured', 'Met'],
      verdicts.map((v) => [v.target, v.measured, v.met === undefined ? '–' : v.met ? '✅ yes' : '❌ no']),
    ),
    '',
    '### Elevo user sync (rate limits off)',
    '',
    syncTable(results.sizes),
    ...(results.orders ? ['', '### Screening orders (rate limits off)', '', ordersTable(results.orders)] : []),
    ...(results.rateLimited ? ['', '### Rate limits on', '', rateLimitedTable(results.rateLimited)] : []),
    ...(results.latency && results.latency.length > 0 ? ['', '### Latency mode', '', latencyTable(results.latency)] : []),
    ...(results.manyTenants ? ['', '### Many tenants', '', manyTenantsTable(results.manyTenants)] : []),
  ].join('\n');
}

export const RESULTS_START = '<!-- bench:results:start -->';
export const RESULTS_END = '<!-- bench:results:end -->';

/** Replaces the generated section of BENCHMARK.md, keeping the hand-written text around it. */
export function spliceResults(document: string, rendered: string): string {
  const start = document.indexOf(RESULTS_START);
  const end = document.indexOf(RESULTS_END);
  if (start < 0 || end < start) return `${document.trimEnd()}\n\n${RESULTS_START}\n${rendered}\n${RESULTS_END}\n`;
  return `${document.slice(0, start + RESULTS_START.length)}\n${rendered}\n${document.slice(end)}`;
}
