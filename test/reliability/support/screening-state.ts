import type { Client } from '@temporalio/client';
import type { AequivalentSandbox } from '../../../dev/simulators/aequivalent';
import { GENERATED_CODES, type LuccaTenantStore } from '../../../dev/simulators/lucca';
import { orderStateQuery, type OrderState, type ScreeningOrderResult } from '../../../src/connectors/aequivalent-screening/contract';

/** The outcome of one order that must not depend on faults or crashes (no ids, no timestamps). */
export interface OrderFingerprint {
  luccaId: number;
  outcome: string;
  problems: string[];
  luccaStatus: string | null;
  dossiers: number;
  dossierStatus: string | null;
  dossierResult: string | null;
  documents: string[];
}

export function luccaIdOfOrder(workflowId: string): number {
  // screening-order/<tenant>/<luccaId>/<orderKey>
  const parts = workflowId.split('/');
  return Number(parts[parts.length - 2]);
}

export async function orderFingerprints(
  client: Client,
  store: LuccaTenantStore,
  aequivalent: AequivalentSandbox,
  tenantId: string,
  workflowIds: string[],
): Promise<OrderFingerprint[]> {
  const dossiers = aequivalent.dossiers(tenantId);
  const out: OrderFingerprint[] = [];
  for (const workflowId of workflowIds) {
    const result = (await client.workflow.getHandle(workflowId).result()) as ScreeningOrderResult;
    const luccaId = luccaIdOfOrder(workflowId);
    const entry = store.getExtendedValue(luccaId, GENERATED_CODES.orderStatus);
    const mine = dossiers.filter((d) => d.externalReference === workflowId);
    out.push({
      luccaId,
      outcome: result.outcome,
      problems: (result.problems ?? []).map((p) => p.code).sort(),
      luccaStatus: entry && !Array.isArray(entry) ? (store.listEntryLabel(GENERATED_CODES.orderStatus, Number(entry.value)) ?? null) : null,
      dossiers: mine.length,
      dossierStatus: mine[0]?.status ?? null,
      dossierResult: mine[0]?.result ?? null,
      documents: (mine[0]?.documents ?? []).map((d) => `${d.kind}:${d.sha256}`).sort(),
    });
  }
  return out.sort((a, b) => a.luccaId - b.luccaId);
}

/** Dossiers beyond one per externalReference, and documents beyond one per (dossier, content). */
export function screeningDuplicates(aequivalent: AequivalentSandbox, tenantId: string): number {
  const dossiers = aequivalent.dossiers(tenantId);
  const refs = new Set(dossiers.map((d) => d.externalReference));
  let duplicateDocs = 0;
  for (const d of dossiers) duplicateDocs += d.documents.length - new Set(d.documents.map((doc) => `${doc.kind}:${doc.sha256}`)).size;
  return dossiers.length - refs.size + duplicateDocs;
}

/** Moves every order that follows its dossier to a final report, as Aequivalent's back office would. */
export async function driveDossiersToReport(
  client: Client,
  aequivalent: AequivalentSandbox,
  tenantId: string,
  workflowIds: string[],
  timeoutMs = 90_000,
): Promise<void> {
  const pending = new Set(workflowIds);
  const deadline = Date.now() + timeoutMs;
  while (pending.size > 0) {
    if (Date.now() > deadline) throw new Error(`orders never reached "following": ${[...pending].join(', ')}`);
    for (const workflowId of [...pending]) {
      let state: OrderState | undefined;
      try {
        state = await client.workflow.getHandle(workflowId).query(orderStateQuery);
      } catch {
        continue; // no worker right now (crash scenario): ask again later
      }
      if (state.stage === 'completed') {
        pending.delete(workflowId);
        continue;
      }
      if (state.stage !== 'following' || !state.dossierId) continue;
      const dossier = aequivalent.dossiers(tenantId).find((d) => d.id === state.dossierId);
      if (dossier && dossier.status === 'created') {
        for (const step of ['candidate_invited', 'consent_given', 'in_progress'] as const) aequivalent.advance(tenantId, dossier.id, step);
        aequivalent.advance(tenantId, dossier.id, 'report_available', 'compliant');
      }
      pending.delete(workflowId);
    }
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 200));
  }
}
