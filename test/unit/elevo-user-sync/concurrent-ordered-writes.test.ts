import { runWithPrerequisites } from '../../../src/activities/elevo-user-sync/run-with-prerequisites';
import { managerPrerequisites, orderActions } from '../../../src/connectors/elevo-user-sync/domain/action-ordering';
import type { SyncAction } from '../../../src/connectors/elevo-user-sync/domain/sync-model';

const create = (id: number, manager: number | null) =>
  ({
    kind: 'create',
    luccaId: id,
    attributes: { externalId: String(id), managerExternalId: manager === null ? null : String(manager) },
  }) as unknown as SyncAction;

const tick = () => new Promise((r) => setImmediate(r));

describe('concurrent, ordered Elevo writes', () => {
  // 1 manages 2 and 3, 2 manages 4..9, 3 manages 10..15; listed reports first.
  const planned = [
    ...Array.from({ length: 6 }, (_, k) => create(4 + k, 2)),
    ...Array.from({ length: 6 }, (_, k) => create(10 + k, 3)),
    create(2, 1),
    create(3, 1),
    create(1, null),
  ];
  const actions = orderActions(planned);
  const prerequisites = managerPrerequisites(actions);

  it("finds each write's manager among the earlier writes", () => {
    const idOf = (i: number) => (actions[i] as Extract<SyncAction, { kind: 'create' }>).attributes.externalId;
    prerequisites.forEach((p, i) => {
      const manager = (actions[i] as Extract<SyncAction, { kind: 'create' }>).attributes.managerExternalId;
      if (manager === null) expect(p).toBeUndefined();
      else expect(idOf(p!)).toBe(manager);
      if (p !== undefined) expect(p).toBeLessThan(i);
    });
  });

  it('keeps at most `concurrency` writes in flight and starts none before its manager finished', async () => {
    const finished = new Set<number>();
    let inFlight = 0;
    let peak = 0;
    const violations: number[] = [];
    await runWithPrerequisites(
      actions.length,
      4,
      (i) => prerequisites[i],
      async (i) => {
        const p = prerequisites[i];
        if (p !== undefined && !finished.has(p)) violations.push(i);
        inFlight++;
        peak = Math.max(peak, inFlight);
        for (let k = 0; k < 1 + (i % 3); k++) await tick();
        inFlight--;
        finished.add(i);
      },
    );
    expect(violations).toEqual([]);
    expect(finished.size).toBe(actions.length);
    expect(peak).toBe(4);
  });

  it('stops starting writes after a failure, lets those in flight finish, and throws it', async () => {
    const settled: number[] = [];
    const started: number[] = [];
    await expect(
      runWithPrerequisites(
        20,
        3,
        () => undefined,
        async (i) => {
          started.push(i);
          await tick();
          if (i === 4) throw new Error('elevo 503');
        },
        (i) => settled.push(i),
      ),
    ).rejects.toThrow('elevo 503');
    expect(Math.max(...started)).toBeLessThanOrEqual(4 + 2);
    expect(settled).not.toContain(4);
  });

  it('resumes after the first index not done, without waiting for prerequisites done before', async () => {
    const ran: number[] = [];
    await runWithPrerequisites(
      6,
      2,
      (i) => (i === 4 ? 1 : undefined),
      async (i) => {
        ran.push(i);
      },
      undefined,
      3,
    );
    expect(ran.sort()).toEqual([3, 4, 5]);
  });
});
