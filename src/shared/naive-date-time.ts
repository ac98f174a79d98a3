/**
 * Lucca v3 date-times are naive ("2015-09-07T10:20:06.583", no zone; lucca-api.md §5). The change
 * feed only ever compares and shifts Lucca's own stamps, so it needs no zone. Deterministic: usable
 * in workflows.
 */
const NAIVE = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;

/** `2026-11-20T10:12:45.1` → `2026-11-20T10:12:45.100`: one fixed shape, so strings compare in time order. */
export function normalizeNaiveDateTime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = NAIVE.exec(value.replace(/Z$/, ''));
  if (!m) return undefined;
  return `${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}.${(m[5] ?? '').padEnd(3, '0').slice(0, 3)}`;
}

/** Shifts a normalized naive date-time by `ms` as wall-clock arithmetic. */
export function shiftNaiveDateTime(naive: string, ms: number): string {
  return new Date(Date.parse(`${naive}Z`) + ms).toISOString().slice(0, 23);
}
