/**
 * Lucca v3 speaks naive ISO dates ("2014-09-01T00:00:00", "2015-09-07T10:20:06.583"), read as
 * Paris wall-clock time (lucca-api.md §5, inferred). The store keeps dates as "YYYY-MM-DD".
 */
const PARIS = 'Europe/Paris';

const partsFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: PARIS,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function parisParts(date: Date): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of partsFormatter.formatToParts(date)) out[p.type] = p.value;
  return out;
}

/** "2026-11-20T10:12:45.123" in Paris time. */
export function toNaiveDateTime(date: Date): string {
  const p = parisParts(date);
  const ms = String(date.getUTCMilliseconds()).padStart(3, '0');
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}.${ms}`;
}

/** "2026-11-20": the Paris calendar day of an instant. */
export function parisDay(date: Date): string {
  const p = parisParts(date);
  return `${p.year}-${p.month}-${p.day}`;
}

const DAY = /^(\d{4}-\d{2}-\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?)?$/;

/** Accepts "YYYY-MM-DD" or a naive date-time; returns "YYYY-MM-DD" or null when malformed. */
export function toDay(value: string): string | null {
  const m = DAY.exec(value);
  if (!m) return null;
  const day = m[1] as string;
  return Number.isNaN(Date.parse(`${day}T00:00:00Z`)) ? null : day;
}

/** "2014-09-01" → "2014-08-31T22:00:00Z": the UTC instant of that day's Paris midnight. */
export function parisMidnightUtc(day: string): string {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  const parisHourThen = Number(parisParts(new Date(utcMidnight)).hour); // 1 (winter) or 2 (summer)
  return new Date(utcMidnight - parisHourThen * 3_600_000).toISOString().replace('.000Z', 'Z');
}

/** "YYYY-MM-DD" → "YYYY-MM-DDT00:00:00" (the v3 wire form of a date). */
export function dayToWire(day: string | null): string | null {
  return day === null ? null : `${day}T00:00:00`;
}

/** Normalises a naive date-time filter value for string comparison with stored modifiedAt values. */
export function toComparableDateTime(value: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?$/.exec(value);
  if (!m) return null;
  const ms = (m[4] ?? '').padEnd(3, '0').slice(0, 3);
  return `${m[1]}T${m[2] ?? '00:00'}:${m[3] ?? '00'}.${ms}`;
}

/** Adds days to "YYYY-MM-DD". */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
