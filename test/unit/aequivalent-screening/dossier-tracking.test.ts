import {
  isFinal,
  outcomeOf,
  recordReading,
  recordStatus,
  startTracking,
  type DossierTracking,
  type StatusChange,
} from '../../../src/connectors/aequivalent-screening/domain/dossier-tracking';
import type { DossierResultName, DossierStatusName } from '../../../src/connectors/aequivalent-screening/contract';

const change = (
  status: DossierStatusName,
  result: DossierResultName | null = null,
  source: StatusChange['source'] = 'webhook',
): StatusChange => ({ status, result, at: `at-${status}`, source });
const feed = (...statuses: Array<DossierStatusName | [DossierStatusName, DossierResultName]>): DossierTracking =>
  statuses.reduce((tracking, s) => recordStatus(tracking, Array.isArray(s) ? change(s[0], s[1]) : change(s)).tracking, startTracking());
const statuses = (tracking: DossierTracking) => tracking.history.map((h) => h.status);

describe('dossier tracking (the order state machine)', () => {
  it('follows the lifecycle to a report and its result', () => {
    const tracking = feed('created', 'candidate_invited', 'consent_given', 'in_progress', ['report_available', 'compliant']);
    expect(tracking.current).toBe('report_available');
    expect(isFinal(tracking)).toBe(true);
    expect(outcomeOf(tracking)).toBe('compliant');
    expect(statuses(tracking)).toEqual(['created', 'candidate_invited', 'consent_given', 'in_progress', 'report_available']);
  });

  it('never moves backwards when a webhook arrives late, but records it in lifecycle order', () => {
    const early = feed('created', 'in_progress');
    const { tracking, changed } = recordStatus(early, change('candidate_invited'));
    expect(changed).toBe(true);
    expect(tracking.current).toBe('in_progress');
    expect(statuses(tracking)).toEqual(['created', 'candidate_invited', 'in_progress']);
  });

  it('treats a repeated status as no change', () => {
    const once = feed('created', 'in_progress');
    const twice = recordStatus(once, change('in_progress'));
    expect(twice.changed).toBe(false);
    expect(twice.tracking).toEqual(once);
  });

  it('keeps the first final state: a later final one is recorded, not followed', () => {
    const tracking = feed('created', 'expired', ['report_available', 'non_compliant']);
    expect(outcomeOf(tracking)).toBe('expired');
    expect(tracking.result).toBeNull();
    expect(statuses(tracking)).toEqual(['created', 'expired', 'report_available']);
  });

  it.each<[DossierStatusName, string]>([
    ['consent_refused', 'consent_refused'],
    ['expired', 'expired'],
    ['cancelled', 'cancelled'],
  ])('ends with %s', (status, outcome) => {
    expect(outcomeOf(feed('created', status))).toBe(outcome);
  });

  it('reports a report without a result as result_missing', () => {
    expect(outcomeOf(feed('created', 'report_available'))).toBe('result_missing');
  });

  it.each<DossierStatusName>(['created', 'candidate_invited', 'consent_given', 'in_progress'])('has no outcome while %s', (status) => {
    const tracking = feed(status);
    expect(isFinal(tracking)).toBe(false);
    expect(outcomeOf(tracking)).toBeUndefined();
  });

  it('fills in the states a dossier read shows and the webhooks missed', () => {
    const tracking = recordReading(
      feed('created'),
      {
        status: 'report_available',
        result: 'attention_points',
        history: [
          { status: 'created', at: 't0' },
          { status: 'candidate_invited', at: 't1' },
          { status: 'consent_given', at: 't2' },
          { status: 'in_progress', at: 't3' },
          { status: 'report_available', at: 't4' },
        ],
      },
      'poll',
    );
    expect(outcomeOf(tracking)).toBe('attention_points');
    expect(tracking.history.map((h) => [h.status, h.source])).toEqual([
      ['created', 'webhook'],
      ['candidate_invited', 'poll'],
      ['consent_given', 'poll'],
      ['in_progress', 'poll'],
      ['report_available', 'poll'],
    ]);
  });

  it('takes a read’s current status even when its history stops short of it', () => {
    const tracking = recordReading(
      startTracking(),
      { status: 'cancelled', result: null, history: [{ status: 'created', at: 't0' }] },
      'cancel',
    );
    expect(tracking.current).toBe('cancelled');
    expect(tracking.history.at(-1)).toEqual({ status: 'cancelled', at: 't0', source: 'cancel' });
  });
});
