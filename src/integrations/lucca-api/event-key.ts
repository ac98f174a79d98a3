/**
 * What identifies a Lucca event: the documented unique pair `{source}+{id}` (docs/external-apis.md, N4), not the
 * id alone — two sources may number their events alike, and deduplicating on the id would drop the second change.
 * Every deduplication (the receiver, the sweep, the change feed's memory) uses this key.
 */
export function luccaEventKey(event: { id: string; source?: string | null | undefined }): string {
  return event.source ? `${event.source}+${event.id}` : event.id;
}
