import type { ArtifactStore } from './artifact-store';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionSweeper {
  /** One purge now; resolves to the number of artifacts removed (errors are reported, not thrown). */
  sweepNow(): Promise<number>;
  stop(): void;
}

/**
 * Enforces `storage.retentionDays`: every worker purges artifacts older than the retention at start
 * and then every few hours. In the worker rather than a Temporal Schedule because it must happen even
 * if nobody ran `schedules apply`, it is one idempotent DELETE (several workers sweeping at once is
 * harmless), and with the filesystem store each machine must sweep its own disk, which an activity
 * landing on an arbitrary worker would not.
 */
export function startRetentionSweeper(options: {
  store: ArtifactStore;
  retentionDays: number;
  intervalMs?: number;
  now?: () => Date;
  onSweep?: (removed: number) => void;
  onError?: (err: Error) => void;
}): RetentionSweeper {
  const now = options.now ?? (() => new Date());
  let running: Promise<number> | undefined;
  const sweepNow = () => {
    running ??= options.store
      .purgeWrittenBefore(new Date(now().getTime() - options.retentionDays * DAY_MS))
      .then((removed) => {
        options.onSweep?.(removed);
        return removed;
      })
      .catch((err: Error) => {
        options.onError?.(err);
        return 0;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void sweepNow(), options.intervalMs ?? 6 * 60 * 60 * 1000);
  timer.unref(); // never keeps a stopping worker alive
  void sweepNow();
  return { sweepNow, stop: () => clearInterval(timer) };
}
