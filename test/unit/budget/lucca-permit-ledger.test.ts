import { MAX_AHEAD_MS, PermitLedger } from '../../../src/shared/lucca-permit-ledger';
import type { LuccaPermit } from '../../../src/shared/lucca-budget-contract';

const W = 63_000;
const granted = (p: LuccaPermit): p is { permitId: number; waitMs: number } => 'permitId' in p;

/** Drives the ledger the way callers do: ask, and when told to come back, come back then. */
function sendTimes(ledger: PermitLedger, start: number, count: number, perMinute: number, holder = 'a'): number[] {
  const times: number[] = [];
  let now = start;
  while (times.length < count) {
    const p = ledger.ask(now, { perMinute, holder });
    if (granted(p)) times.push(now + p.waitMs);
    else now += p.retryInMs;
  }
  return times;
}

function maxInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('PermitLedger', () => {
  it('never reserves more than perMinute slots in any window, and waits are relative to the ledger clock', () => {
    const ledger = new PermitLedger(W, undefined, 1_000_000);
    const times = sendTimes(ledger, 1_000_000, 130, 50);
    expect(maxInAnyWindow(times, W)).toBe(50);
    expect(times.slice(0, 50).every((t) => t === 1_000_000)).toBe(true);
    expect(times[50]).toBe(1_000_000 + W);
  });

  it('reserves at most MAX_AHEAD_MS ahead and says when to come back', () => {
    const ledger = new PermitLedger(W, undefined, 0);
    sendTimes(ledger, 0, 2, 2);
    const p = ledger.ask(1_000, { perMinute: 2, holder: 'a' });
    expect(p).toEqual({ retryInMs: W - 1_000 - MAX_AHEAD_MS });
    const later = ledger.ask(W - MAX_AHEAD_MS, { perMinute: 2, holder: 'a' });
    expect(later).toMatchObject({ waitMs: MAX_AHEAD_MS });
  });

  it('applies a lowered limit with the next ask, and a raised one only once the old value is a minute old', () => {
    const ledger = new PermitLedger(W, undefined, 0);
    sendTimes(ledger, 0, 5, 50);
    expect(ledger.ask(10, { perMinute: 5, holder: 'a' })).not.toHaveProperty('permitId', expect.anything());
    expect(ledger.state(10, 'd').perMinute).toBe(5);
    // A worker still on the old config asks with 50: the lower value stays in force for a minute.
    expect(granted(ledger.ask(20, { perMinute: 50, holder: 'a' }))).toBe(false);
    expect(ledger.state(60_011, 'd').perMinute).toBe(50);
  });

  it('a returned permit frees its slot', () => {
    const ledger = new PermitLedger(W, undefined, 0);
    const first = ledger.ask(0, { perMinute: 1, holder: 'a' });
    expect(granted(first)).toBe(true);
    expect(granted(ledger.ask(1, { perMinute: 1, holder: 'a' }))).toBe(false);
    ledger.giveBack((first as { permitId: number }).permitId);
    expect(ledger.ask(2, { perMinute: 1, holder: 'a' })).toMatchObject({ waitMs: 0 });
    expect(ledger.state(2, 'd').totalReturned).toBe(1);
  });

  it('holds every caller during a 429 pause', () => {
    const ledger = new PermitLedger(W, undefined, 0);
    ledger.pause(0, 10_000);
    expect(ledger.ask(1_000, { perMinute: 50, holder: 'a' })).toMatchObject({ waitMs: 9_000 });
  });

  it('shares scarce slots between connectors instead of serving whoever queued most', () => {
    const ledger = new PermitLedger(W, undefined, 0);
    sendTimes(ledger, 0, 10, 10, 'sync'); // the window is full: every later slot is a wait
    const grants: string[] = [];
    // The sync keeps 20 asks in flight, the order connector asks now and then.
    for (let now = W - MAX_AHEAD_MS, i = 0; grants.length < 10 && i < 400; i++, now += 100) {
      for (const holder of ['sync', 'sync', 'sync', i % 3 === 0 ? 'orders' : 'sync']) {
        if (granted(ledger.ask(now, { perMinute: 10, holder }))) grants.push(holder);
      }
    }
    const orders = grants.filter((h) => h === 'orders').length;
    expect(orders).toBeGreaterThanOrEqual(4);
    expect(grants.length - orders).toBeGreaterThanOrEqual(4);
  });

  it('keeps reservations, limit, pause and permit ids across continue-as-new, in relative times', () => {
    const ledger = new PermitLedger(W, undefined, 500_000);
    const times = sendTimes(ledger, 500_000, 3, 3);
    ledger.pause(500_000, 2_000);
    const carried = ledger.carry(510_000);
    // The next run's clock may read anything: only differences matter.
    const next = new PermitLedger(W, carried, 9_000_000);
    expect(next.state(9_000_000, 'd')).toMatchObject({ perMinute: 3, reservedInWindow: 3 });
    const p = next.ask(9_000_000, { perMinute: 3, holder: 'a' });
    expect(p).toEqual({ retryInMs: times[0]! + W - 510_000 - MAX_AHEAD_MS });
  });
});
