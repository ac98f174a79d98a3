import { toIsoDate } from '../integrations/lucca/lucca-user-fields';

/**
 * Lucca's own split between current and former employees (v3, reference/lucca-api.md §4): an
 * employee is former when the contract end date is set and in the past — whatever the start date.
 * Both connectors follow it, so nobody is "rehired" by us while Lucca lists them as gone.
 */
export function isFormerInLucca(dtContractEnd: unknown, today: string): boolean {
  const end = calendarDay(dtContractEnd);
  return end !== null && end < today;
}

/** `2026-11-15T00:00:00` → `2026-11-15` (an instant with an offset → its Paris day, L9); anything unreadable → null. */
function calendarDay(value: unknown): string | null {
  return toIsoDate(value);
}
