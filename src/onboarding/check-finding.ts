/**
 * What a tenant check found, in the customer's words: each finding names what was checked, what is
 * wrong, and what to do in Lucca's menus (or at Elevo / Aequivalent). No personal data, no secret.
 */
export type FindingSeverity =
  /** Checked and right. */
  | 'ok'
  /** The connector runs, but part of the data will be missing or wrong. */
  | 'warning'
  /** The connector cannot run (or would do harm) until this is fixed. */
  | 'blocking'
  /** Could not be checked without writing or without data; says how it will be reported. */
  | 'unverified';

export interface CheckFinding {
  /** Stable code for scripts and tests, e.g. `lucca.section-hidden`. */
  code: string;
  severity: FindingSeverity;
  /** What was checked, e.g. `e_order_status (section "Background check")`. */
  subject: string;
  /** What is wrong or what we saw, for a human. */
  detail: string;
  /** What to do, in Lucca's menus and labels (absent when nothing is to do). */
  fix?: string;
}

export interface ConnectorCheckResult {
  connector: string;
  /** False when at least one finding is blocking. */
  canRun: boolean;
  findings: CheckFinding[];
}

export interface TenantCheckReport {
  tenantId: string;
  checkedAt: string;
  /** Requests sent to Lucca by the whole check (retries included). */
  luccaRequests: number;
  /** Whether the check wrote to Lucca (the opt-in write probe, or registering the webhook-endpoint of `lucca.events`). */
  wroteToLucca: boolean;
  /** Findings about the Lucca key itself, shared by every connector. */
  lucca: CheckFinding[];
  connectors: ConnectorCheckResult[];
  /** The Lucca key works and every enabled connector can run. */
  canRun: boolean;
}

export const finding = (severity: FindingSeverity, code: string, subject: string, detail: string, fix?: string): CheckFinding => ({
  code,
  severity,
  subject,
  detail,
  ...(fix ? { fix } : {}),
});

export const isBlocking = (findings: readonly CheckFinding[]): boolean => findings.some((f) => f.severity === 'blocking');
