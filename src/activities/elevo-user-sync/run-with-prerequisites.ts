/**
 * Runs `task(i)` for every index with at most `concurrency` in flight, starting them in index order,
 * each one only after its prerequisite (an earlier index) has settled. The first failure stops new
 * starts; tasks already in flight finish, then it is thrown. `onSettled` sees every completion, so
 * the caller can record progress (e.g. the contiguous prefix for a heartbeat).
 */
export async function runWithPrerequisites(
  count: number,
  concurrency: number,
  prerequisiteOf: (i: number) => number | undefined,
  task: (i: number) => Promise<void>,
  onSettled: (i: number) => void = () => undefined,
  firstIndex = 0,
): Promise<void> {
  const settled = new Map<number, Promise<void>>();
  let next = firstIndex;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (!failure && next < count) {
      const i = next++;
      const before = prerequisiteOf(i);
      const run = (async () => {
        // Earlier than firstIndex: done in a previous attempt.
        if (before !== undefined && before >= firstIndex) await settled.get(before)?.catch(() => undefined);
        if (failure) return;
        await task(i);
        onSettled(i);
      })();
      settled.set(i, run);
      try {
        await run;
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count - firstIndex)) }, lane));
  if (failure) throw failure.error;
}
