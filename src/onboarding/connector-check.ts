import type { TenantConfig } from '../config/config-schema';
import type { LuccaClient } from '../integrations/lucca/lucca-client';
import type { CheckFinding } from './check-finding';
import type { LuccaAccessSnapshot, LuccaNeeds } from './lucca-access-snapshot';

/**
 * One connector's onboarding check: what it needs from Lucca (merged with the other connectors'
 * needs so the requests are shared) and how it judges the answers, plus its own target system.
 * The connector registry (issue 15) can carry this object in each connector's definition.
 */
export interface ConnectorOnboardingCheck {
  connector: string;
  enabled(tenant: TenantConfig): boolean;
  luccaNeeds(tenant: TenantConfig): LuccaNeeds;
  /** Judges the shared snapshot (plus the connector's own probes); only called when Lucca accepts the key. */
  luccaFindings(ctx: ConnectorCheckContext): Promise<CheckFinding[]>;
  /** The target system's side: token accepted, account reachable (read-only). */
  targetFinding(ctx: ConnectorCheckContext): Promise<CheckFinding>;
}

export interface ConnectorCheckContext {
  tenant: TenantConfig;
  snapshot: LuccaAccessSnapshot;
  lucca: LuccaClient;
  /** Resolves a secret reference of the tenant (only the process running the check sees values). */
  secret: (reference: string) => string;
  /** Opt-in: re-write one unchanged value to prove write access (see the Aequivalent check). */
  writeProbe: boolean;
  /** Set by a check that wrote to Lucca. */
  noteWrite(): void;
}
