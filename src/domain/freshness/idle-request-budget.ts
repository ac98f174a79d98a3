/**
 * How often the change feed may poll so that an idle tenant stays within its hourly Lucca budget
 * (`freshness.idleRequestsPerHour`, default 60) once the frequent screening intake is counted.
 * The intake keeps its cadence (it is what finds "Dossier à commander" whether or not `e_` data
 * moves `modifiedAt`); the poll gives way: its interval stretches while the intake runs. Pure.
 */
export interface IdleBudgetInput {
  pollSeconds: number;
  idleRequestsPerHour: number;
  /** Lucca requests of one intake pass (⌈employees/1000⌉ + definitions); 0 when no frequent intake now. */
  intakeRequestsPerPass: number;
  intakeEveryMinutes: number;
  /** Other background requests per hour (the events-feed sweep and its cursor refresh). */
  otherRequestsPerHour: number;
}

/** The slowest poll we accept: changes must still reach Elevo within about 5 minutes. */
export const SLOWEST_POLL_SECONDS = 300;

export function budgetedPollSeconds(input: IdleBudgetInput): number {
  // No intake now: the configured interval is the operator's choice (its cost is documented), kept as is.
  if (input.intakeRequestsPerPass === 0) return input.pollSeconds;
  const intakePerHour = (60 / input.intakeEveryMinutes) * input.intakeRequestsPerPass;
  const left = input.idleRequestsPerHour - intakePerHour - input.otherRequestsPerHour;
  const needed = left > 0 ? Math.ceil(3600 / left) : SLOWEST_POLL_SECONDS;
  return Math.min(SLOWEST_POLL_SECONDS, Math.max(input.pollSeconds, needed));
}

/** Lucca requests of one intake pass over `employees` (1,000 per page) and its definitions. */
export function intakePassRequests(employees: number, definitions = 1): number {
  return Math.max(1, Math.ceil(employees / 1000)) + definitions;
}

/**
 * Whether the frequent intake runs around `at` (Monday–Friday, `from` ≤ hour < `to`, the tenant's
 * time zone), starting `leadMinutes` early: the feed re-reads its settings every ten ticks, so it
 * slows down before the first pass rather than after.
 */
export function frequentIntakeRunning(at: Date, timeZone: string, hours: { from: number; to: number }, leadMinutes: number): boolean {
  const ahead = new Date(at.getTime() + leadMinutes * 60_000);
  return [at, ahead].some((t) => {
    const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', hourCycle: 'h23' }).formatToParts(t);
    const weekday = parts.find((p) => p.type === 'weekday')?.value ?? '';
    const hour = Number(parts.find((p) => p.type === 'hour')?.value);
    return !['Sat', 'Sun'].includes(weekday) && hour >= hours.from && hour < hours.to;
  });
}
