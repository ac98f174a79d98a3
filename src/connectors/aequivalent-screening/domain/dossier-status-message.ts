import type { DossierResultName, DossierStatusChangedSignal, DossierStatusName } from '../contract';

/**
 * The `dossierStatusChanged` signal as the order workflow accepts it (workflow-safe): the webhook
 * signaller sends only verified events, but a signal's arguments are never trusted — a message
 * without payload skips strict decoding, and a malformed one must not fail the order's tasks.
 */
/** Every dossier status of the Aequivalent contract (the client's zod schema is built from this list). */
export const DOSSIER_STATUSES = [
  'created',
  'candidate_invited',
  'consent_given',
  'consent_refused',
  'in_progress',
  'report_available',
  'expired',
  'cancelled',
] as const satisfies readonly DossierStatusName[];
const STATUSES: ReadonlySet<string> = new Set<DossierStatusName>(DOSSIER_STATUSES);
const RESULTS: ReadonlySet<string> = new Set<DossierResultName>(['compliant', 'attention_points', 'non_compliant']);
/** Final dossier states: the order ends on them, so they are confirmed by reading the dossier first. */
export const FINAL_DOSSIER_STATUSES: ReadonlySet<DossierStatusName> = new Set([
  'consent_refused',
  'report_available',
  'expired',
  'cancelled',
]);
const MAX_ID_LENGTH = 200;

const shortId = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;

/** The event, when every field has the shape the contract says; undefined otherwise. */
export function dossierStatusEventOf(message: unknown): DossierStatusChangedSignal | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as Record<string, unknown>;
  if (!shortId(m.eventId) || !shortId(m.dossierId)) return undefined;
  if (typeof m.status !== 'string' || !STATUSES.has(m.status)) return undefined;
  if (m.result !== null && (typeof m.result !== 'string' || !RESULTS.has(m.result))) return undefined;
  // The receiver's schema takes any non-empty date string; only its length is bounded here.
  if (typeof m.occurredAt !== 'string' || m.occurredAt.length === 0 || m.occurredAt.length > 64) return undefined;
  return {
    eventId: m.eventId,
    dossierId: m.dossierId,
    status: m.status as DossierStatusName,
    result: m.result as DossierResultName | null,
    occurredAt: m.occurredAt,
  };
}
