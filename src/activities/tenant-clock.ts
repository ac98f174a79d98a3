/** The calendar date (YYYY-MM-DD) in a tenant's time zone: contracts end "today" in Paris, not in UTC. */
export function todayIn(timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
