import type { RunReport } from '../../../src/connectors/elevo-user-sync/domain/run-report';
import { renderElevoRunReport } from '../../../src/connectors/elevo-user-sync/report/render-run-report';
import { csvCell } from '../../../src/reports/render-document';
import { renderScreeningIntakeReport } from '../../../src/connectors/aequivalent-screening/report/intake-report';
import { renderScreeningOrderReport, type ScreeningOrderReport } from '../../../src/connectors/aequivalent-screening/report/order-report';
import { runOutcomeWords } from '../../../src/client/run-outcome-words';
import type { ScreeningIntakeResult } from '../../../src/connectors/aequivalent-screening/contract';

const elevoReport: RunReport = {
  tenantId: 'acme',
  runKey: 'elevo-user-sync/acme/x/1',
  runDate: '2026-11-20',
  status: 'completed',
  generatedAt: '2026-11-20T06:05:00.000Z',
  planned: { create: 2, update: 1, adopt: 0, suspend: 0, reactivate: 0, release: 0, skip: 3, noop: 10, unmanaged: 0 },
  applied: 2,
  failed: 1,
  holdReasons: [],
  lines: [
    { action: 'create', luccaId: 1, elevoId: 'ev-1', name: 'Léa Martin', reason: 'new-employee', outcome: 'applied' },
    {
      action: 'create',
      luccaId: 2,
      elevoId: null,
      name: 'Hugo <b>Bernard</b>',
      reason: 'new-employee',
      outcome: 'failed',
      error: 'ElevoBadRequestError:422:invalid_request',
    },
    {
      action: 'update',
      luccaId: 3,
      elevoId: 'ev-3',
      name: 'Chloé Petit',
      reason: 'attributes-changed',
      outcome: 'applied',
      changes: [{ field: 'jobTitle', before: 'Juriste', after: 'Juriste senior' }],
      managerIssue: 'manager-cycle',
    },
    { action: 'skip', luccaId: 4, elevoId: null, name: 'Jules Roux', reason: 'duplicate-email', outcome: 'skipped' },
    {
      action: 'skip',
      luccaId: 5,
      elevoId: null,
      name: 'Inès Moreau',
      reason: 'invalid-record',
      detail: 'malformed-email',
      outcome: 'skipped',
    },
    {
      action: 'skip',
      luccaId: 6,
      elevoId: null,
      name: 'Noah Laurent',
      reason: 'not-yet-started',
      detail: 'starts-on-2026-12-01',
      outcome: 'skipped',
    },
  ],
};

describe('Elevo run report', () => {
  it('opens with the summary, then the lines that need action with a fix each, before the routine lines', () => {
    const text = renderElevoRunReport(elevoReport, 'text');
    const [head, rest] = text.split('Needs action (4)');
    expect(head).toContain('Outcome');
    expect(head).toContain('2 applied, 1 failed write');
    const actions = rest!.split('Every line')[0]!;
    expect(actions).toContain('[ElevoBadRequestError:422:invalid_request]');
    expect(actions).toContain('[duplicate-email]');
    expect(actions).toContain('[invalid-record:malformed-email]');
    expect(actions).toContain('[manager-cycle]');
    expect(actions).not.toContain('not-yet-started'); // information, nothing to fix
    expect(actions.match(/Fix: /g)).toHaveLength(4);
    // In the full table the failed and skipped lines come before the applied create.
    const table = rest!.split('Every line')[1]!;
    expect(table.indexOf('Hugo')).toBeLessThan(table.indexOf('Léa Martin'));
    expect(table.indexOf('Jules Roux')).toBeLessThan(table.indexOf('Léa Martin'));
  });

  it('CSV has one row per line, the hint and a needs_action flag; formula-looking cells are neutralised', () => {
    const csv = renderElevoRunReport(elevoReport, 'csv').split('\r\n');
    expect(csv[0]).toBe('needs_action,action,outcome,lucca_id,elevo_id,name,reason,detail,manager_issue,changes,error,hint');
    expect(csv).toHaveLength(elevoReport.lines.length + 2); // header + lines + final empty
    expect(csv[1]).toMatch(/^yes,Create,failed,2,/);
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });

  it('JSON keeps the full report under the summary and needs-action list', () => {
    const json = JSON.parse(renderElevoRunReport(elevoReport, 'json'));
    expect(json.report).toEqual(elevoReport);
    expect(json.needsAction).toHaveLength(4);
  });

  it('HTML is one self-contained page: escaped, no script, no external resource', () => {
    const html = renderElevoRunReport(elevoReport, 'html');
    expect(html).toContain('Hugo &lt;b&gt;Bernard&lt;/b&gt;');
    expect(html).not.toMatch(/<script|src=|href=/i);
    expect(html).toContain('id="needs-action"');
  });

  it('the summary format has counts and reason codes but no per-person line (what `run --wait` prints)', () => {
    const summary = renderElevoRunReport(elevoReport, 'summary');
    expect(summary).toContain('2 applied, 1 failed write');
    expect(summary).toMatch(
      /Needs action\s+4 \(ElevoBadRequestError:422:invalid_request, manager-cycle, duplicate-email, invalid-record:malformed-email\)/,
    );
    for (const line of elevoReport.lines) expect(summary).not.toContain(line.name!);
  });

  it('a dry run reads as a plan', () => {
    const text = renderElevoRunReport(
      {
        ...elevoReport,
        status: 'dry-run',
        applied: 0,
        failed: 0,
        lines: elevoReport.lines.map((l) => ({ ...l, outcome: l.action === 'skip' ? 'skipped' : 'planned', error: undefined })),
      },
      'text',
    );
    expect(text).toContain('dry run (plan only)');
    expect(text).toContain('Planned lines');
    expect(text).toContain('dry run: nothing written');
  });
});

const intake: ScreeningIntakeResult = {
  tenantId: 'acme',
  runDate: '2026-11-20',
  candidates: 3,
  scanned: 250,
  luccaRequests: 2,
  started: ['screening-order/acme/12/901'],
  restarted: [],
  joined: ['screening-order/acme/13/902'],
  refused: [{ workflowId: 'screening-order/acme/14/903', reason: 'order-already-placed' }],
  skipped: [{ luccaId: 15, reason: 'employee-left' }],
};

describe('Screening intake report', () => {
  it('lists every employee asking for an order with what was done, refused and skipped first', () => {
    const text = renderScreeningIntakeReport(intake, 'text');
    expect(text).toContain('1 ordered, 0 re-run, 1 already in progress, 1 refused, 1 skipped');
    expect(text).toContain('Lucca employee 15 [employee-left]');
    expect(text).toContain('Lucca employee 14 [order-already-placed]');
    const csv = renderScreeningIntakeReport(intake, 'csv').split('\r\n');
    expect(csv.slice(1, 5).map((r) => r.split(',').slice(0, 2).join(','))).toEqual(['14,refused', '15,skipped', '12,ordered', '13,joined']);
  });

  it('an intake result recorded before `skipped` existed still renders', () => {
    const { skipped: _s, ...old } = intake;
    expect(renderScreeningIntakeReport(old, 'text')).toContain('0 skipped');
  });
});

const order: ScreeningOrderReport = {
  orderId: 'screening-order/acme/12/901',
  tenantId: 'acme',
  luccaId: 12,
  workflowStatus: 'COMPLETED',
  candidate: { name: 'Camille Fournier', package: 'Standard', reason: 'Recrutement' },
  state: {
    stage: 'completed',
    dossierId: 'dos_1',
    outcome: 'attention_points',
    problems: [],
    history: [
      { status: 'created', at: '2026-11-20T07:00:00Z', source: 'create' },
      { status: 'candidate_invited', at: '2026-11-20T07:00:20Z', source: 'webhook' },
      { status: 'report_available', at: '2026-11-20T07:02:00Z', source: 'webhook' },
    ],
    filesTransferred: 2,
    writeBackFailures: 0,
    signalsApplied: 2,
    signalsIgnored: 0,
    polls: 0,
    followUpFailures: 0,
    continuedAsNew: 0,
  },
  result: { outcome: 'attention_points', dossierId: 'dos_1' },
};

describe('Screening order report', () => {
  it('shows candidate, package, outcome in words and the timeline; a result with attention points needs HR', () => {
    const text = renderScreeningOrderReport(order, 'text');
    expect(text).toContain('Camille Fournier (Lucca 12)');
    expect(text).toContain('Standard');
    expect(text).toContain('report available — attention points');
    expect(text).toContain('candidate invited');
    expect(text).toContain('[attention_points]');
  });

  it('an invalid order lists each problem with its Lucca fix', () => {
    const invalid: ScreeningOrderReport = {
      ...order,
      candidate: undefined,
      result: {
        outcome: 'invalid',
        problems: [
          {
            code: 'missing_package',
            field: 'package',
            luccaCode: 'e_screening_package',
            message: 'The screening package (programme) is not filled in the Background check section.',
          },
        ],
      },
      state: {
        ...order.state,
        dossierId: undefined,
        outcome: 'invalid',
        history: [],
        problems: [
          {
            code: 'missing_package',
            field: 'package',
            luccaCode: 'e_screening_package',
            message: 'The screening package (programme) is not filled in the Background check section.',
          },
        ],
      },
    };
    const text = renderScreeningOrderReport(invalid, 'text');
    expect(text).toContain('not ordered: the Lucca file is incomplete');
    expect(text).toContain('[missing_package]');
    expect(text).toContain('Fix: Choose a screening package');
  });
});

describe('runs: outcome in words', () => {
  it('says counts for syncs, decisions for intakes and outcomes for orders', () => {
    expect(
      runOutcomeWords('elevoUserSync', 'COMPLETED', 'completed', {
        status: 'completed',
        applied: 5,
        failed: 1,
        planned: { ...elevoReport.planned },
      }),
    ).toBe('5 applied, 1 failed, 3 skipped (2 create, 1 update)');
    expect(runOutcomeWords('elevoUserSync', 'RUNNING', 'held', undefined)).toBe('held: waiting for approve / reject');
    expect(runOutcomeWords('screeningIntake', 'COMPLETED', 'completed', intake)).toBe(
      '1 ordered, 0 re-run, 1 in progress, 1 refused, 1 skipped',
    );
    expect(runOutcomeWords('screeningOrder', 'COMPLETED', 'invalid', { outcome: 'invalid', problems: [{ code: 'missing_package' }] })).toBe(
      'invalid; 1 problem(s): missing_package',
    );
    expect(runOutcomeWords('screeningOrder', 'FAILED', 'ordering', undefined)).toBe('failed (see the Web UI)');
  });
});
