import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { WebhookEvent } from '../connectors/aequivalent-screening/aequivalent/schemas';
import { dossierStatusChangedSignal, parseScreeningOrderWorkflowId } from '../connectors/aequivalent-screening/contract';
import type { WebhookReceiverLogLine } from './aequivalent-webhook-receiver';

export interface WebhookSignallerOptions {
  client: Client;
  /** Same log sink as the receiver: ids and reasons only. */
  log?: (line: WebhookReceiverLogLine) => void;
}

/**
 * Builds the receiver's `onEvent`: the dossier's externalReference is the order workflow id, so the
 * event is signalled to that workflow. Resolves only once Temporal accepted the signal, so the
 * receiver answers 2xx only then (otherwise 503 and Aequivalent delivers again).
 *
 * Events that can never be delivered are acknowledged (resolved) rather than retried for days:
 * a reference that is not one of this tenant's order ids (a forged or foreign reference), and an
 * order workflow that no longer runs (its dossier is already final on our side).
 */
export function createWebhookSignaller(options: WebhookSignallerOptions): (tenantId: string, event: WebhookEvent) => Promise<void> {
  const log = options.log ?? (() => undefined);
  return async (tenantId, event) => {
    const ids = { tenantId, eventId: event.id, dossierId: event.dossierId, status: event.status };
    const order = parseScreeningOrderWorkflowId(event.externalReference);
    if (!order || order.tenantId !== tenantId) {
      log({ level: 'warn', msg: 'webhook for a dossier that is not one of this tenant’s orders; ignored', ...ids });
      return;
    }
    try {
      await options.client.workflow.getHandle(event.externalReference).signal(dossierStatusChangedSignal, {
        eventId: event.id,
        dossierId: event.dossierId,
        status: event.status,
        result: event.result,
        occurredAt: event.occurredAt,
      });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError || (err as { name?: string })?.name === 'WorkflowNotFoundError') {
        log({ level: 'info', msg: 'webhook for an order that is no longer running; ignored', ...ids });
        return;
      }
      throw err;
    }
  };
}
