import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';

/**
 * One JSON line per log entry (time, level, message, ids from the SDK: workflow id, activity type,
 * task queue…). Our own messages carry only ids, counts and reason codes; as a second line of
 * defence, attribute names that could hold a secret are masked.
 */
const MASKED = /(key|token|secret|password|authorization)/i;

export function createStructuredLogger(
  level: LogLevel = 'INFO',
  write: (line: string) => void = (l) => process.stdout.write(l + '\n'),
): DefaultLogger {
  return new DefaultLogger(level, (entry: LogEntry) => {
    const meta: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(entry.meta ?? {})) meta[k] = MASKED.test(k) ? '[masked]' : v;
    write(
      JSON.stringify(
        { time: new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString(), level: entry.level, msg: entry.message, ...meta },
        safeReplacer,
      ),
    );
  });
}

function safeReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}
