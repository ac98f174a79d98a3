import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls until `check` returns a value (neither undefined nor false). The timeout only bounds the
 * wait: tests assert what happened, never how long it took.
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
