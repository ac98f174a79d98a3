import type { OrderFollowUp, ScreeningOrderInput, ScreeningOrderResult } from '../../connectors/aequivalent-screening/contract';
import { followDossier } from './screening-order-follow-up';
import { placeOrder } from './screening-order-placement';
import { ScreeningOrderRun } from './screening-order-run';
import { declareVersioningBehavior } from '../versioning-behavior';
import type { ScreeningOrderWorkflow } from './screening-order-signature';

// An order lives for weeks: it moves to each new release at its next workflow task, so every
// change to its commands is guarded by patched() and checked by the replay gate.
declareVersioningBehavior('AUTO_UPGRADE', screeningOrder);
// The follow-up continues as new with this signature.
screeningOrder satisfies ScreeningOrderWorkflow;

/**
 * One Aequivalent screening order for one employee and one Lucca status value, from the HR file
 * to the report: read + validate → create the dossier (idempotent) → write "created" back to Lucca
 * (retried until done) → hand the files over → follow the dossier through webhooks, with polling
 * as a fallback, until it ends or the follow-up deadline passes. The workflow id is the dossier's
 * externalReference. A placed order never fails because Aequivalent or Lucca is down: failures of
 * the follow-up are logged and retried; it continues as new when Temporal suggests it, carrying
 * only `OrderFollowUp`.
 */
export async function screeningOrder(input: ScreeningOrderInput, carried?: OrderFollowUp): Promise<ScreeningOrderResult> {
  const run = new ScreeningOrderRun(input, carried);
  run.acceptMessages();
  if (carried) return followDossier(run, carried);
  const placed = await placeOrder(run);
  if ('outcome' in placed) return run.finish(placed.outcome);
  return followDossier(run, placed);
}
