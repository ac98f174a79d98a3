import { PermitLedger } from '../../../src/shared/lucca-permit-ledger';
import type { LuccaPermit } from '../../../src/shared/lucca-budget-contract';

const W = 63_000;
const granted = (p: LuccaPermit): p is { permitId: number; waitMs: number } => 'permitId' in p;

describe('PermitLedger: background asks (change-feed polls)', () => {
  it('an idle domain serves a background poll at once', () => {
    const ledger = new PermitLedger(W, undefined, 0);
    expect(ledger.ask(0, { perMinute: 50, holder: 'luccaChangeFeed', priority: 'background' })).toEqual({ permitId: 1, waitMs: 0 });
  });

  it('a daily run queued ahead, or half the window used, turns a poll away; the run is never delayed by polls', () => {
    const ledger = new PermitLedger(W, undefined, 0);
    // A daily run takes 25 slots now (half of 50) and is granted more in the future.
    for (let i = 0; i < 25; i++) expect(granted(ledger.ask(0, { perMinute: 50, holder: 'elevoUserSync' }))).toBe(true);
    expect(ledger.ask(0, { perMinute: 50, holder: 'luccaChangeFeed', priority: 'background' })).toEqual({ retryInMs: expect.any(Number) });
    // Polls asked while the run works take nothing: the run gets all 50 slots of the window.
    let runSlots = 25;
    for (let now = 0; now < W - 1; now += 500) {
      ledger.ask(now, { perMinute: 50, holder: 'luccaChangeFeed', priority: 'background' });
      const p = ledger.ask(now, { perMinute: 50, holder: 'elevoUserSync' });
      if (granted(p) && now + p.waitMs < W) runSlots++;
    }
    expect(runSlots).toBe(50);
    expect(ledger.state(W - 1, 'd').grantedByHolder.luccaChangeFeed ?? 0).toBe(0);
  });

  it('without the priority the same poll would have taken a slot (the rule is what protects the run)', () => {
    const ledger = new PermitLedger(W, undefined, 0);
    for (let i = 0; i < 25; i++) ledger.ask(0, { perMinute: 50, holder: 'elevoUserSync' });
    expect(granted(ledger.ask(0, { perMinute: 50, holder: 'luccaChangeFeed' }))).toBe(true);
  });
});
