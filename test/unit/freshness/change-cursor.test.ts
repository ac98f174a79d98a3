import { advanceCursor, MAX_SEEN, sinceOf } from '../../../src/domain/freshness/change-cursor';

const OVERLAP = 120_000;

describe("change cursor (modifiedAt polling, all on Lucca's clock)", () => {
  const start = { cursor: '2026-12-07T10:00:00.000', seen: [], floor: '2026-12-07T10:00:00.000' };

  it('resumes the overlap before the newest stamp and hands each change on once', () => {
    expect(sinceOf(start, OVERLAP)).toBe('2026-12-07T09:58:00.000');
    const first = advanceCursor(start, { users: [{ id: 7, modifiedAt: '2026-12-07T10:00:05.000' }] }, OVERLAP);
    expect(first.changed).toEqual([7]);
    expect(first.next.cursor).toBe('2026-12-07T10:00:05.000');
    // The same answer again (the overlap re-reads it): nothing new.
    expect(advanceCursor(first.next, { users: [{ id: 7, modifiedAt: '2026-12-07T10:00:05.000' }] }, OVERLAP).changed).toEqual([]);
    // Changed again later: handed on again.
    expect(advanceCursor(first.next, { users: [{ id: 7, modifiedAt: '2026-12-07T10:01:00.000' }] }, OVERLAP).changed).toEqual([7]);
  });

  it('ignores stamps from before the feed started (the daily run reconciles those)', () => {
    expect(advanceCursor(start, { users: [{ id: 3, modifiedAt: '2026-12-07T09:59:00.000' }] }, OVERLAP).changed).toEqual([]);
  });

  it("follows Lucca's clock back (DST fall-back of a local clock): writes in the repeated hour are not missed", () => {
    const late = { cursor: '2026-10-25T02:59:00.000', seen: [] };
    const back = advanceCursor(late, { users: [], generated: '2026-10-25T02:01:00.000' }, OVERLAP);
    expect(back.next.cursor).toBe('2026-10-25T02:01:00.000');
    expect(advanceCursor(back.next, { users: [{ id: 9, modifiedAt: '2026-10-25T02:05:00.000' }] }, OVERLAP).changed).toEqual([9]);
  });

  it('keeps a bounded memory of what it handed on', () => {
    const users = Array.from({ length: MAX_SEEN + 500 }, (_, i) => ({ id: i + 1, modifiedAt: '2026-12-07T10:00:01.000' }));
    expect(advanceCursor({ cursor: '2026-12-07T10:00:00.000', seen: [] }, { users }, OVERLAP).next.seen).toHaveLength(MAX_SEEN);
  });
});
