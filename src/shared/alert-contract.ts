/**
 * Alerts the workflows raise (through the `notify` activity) so nobody has to poll: workflow-safe
 * and data-free — ids, reason codes and counts only, never a name, e-mail or screening result.
 */
export type Alert =
  | {
      kind: 'run-held';
      tenantId: string;
      connector: 'elevo-user-sync';
      runId: string;
      /** Safety reason codes and their description in words (counts and thresholds only). */
      reasons: Array<{ code: string; description: string }>;
    }
  | {
      kind: 'run-failed';
      tenantId: string;
      connector: string;
      runId: string;
      /** Failure type, e.g. `LuccaAuthenticationError` (never a message: it could carry data). */
      failure: string;
    }
  | {
      kind: 'order-invalid';
      tenantId: string;
      runId: string;
      luccaId: number;
      /** Problem codes and their data-free messages (what to fix in Lucca). */
      problems: Array<{ code: string; field: string; luccaCode?: string; message: string }>;
    }
  | {
      kind: 'order-result-available';
      tenantId: string;
      runId: string;
      luccaId: number;
      dossierId: string;
    }
  | {
      kind: 'write-back-blocked';
      tenantId: string;
      runId: string;
      luccaId: number;
      dossierId: string;
      failure: string;
      attempts: number;
    }
  | {
      /** A connector's change feed entered `failing` / `needs-action`, or recovered from it. */
      kind: 'connector-health';
      tenantId: string;
      connector: string;
      /** The change feed's workflow id. */
      runId: string;
      state: 'healthy' | 'degraded' | 'failing' | 'needs-action' | 'paused';
      previous: 'healthy' | 'degraded' | 'failing' | 'needs-action' | 'paused';
      /** In words, data-free. */
      reason: string;
    };

export type AlertKind = Alert['kind'];
export const ALERT_KINDS: readonly AlertKind[] = [
  'run-held',
  'run-failed',
  'order-invalid',
  'order-result-available',
  'write-back-blocked',
  'connector-health',
];
