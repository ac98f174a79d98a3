import { msToTs, tsToMs } from '@temporalio/common/lib/time';
import { isAlreadyExists, isNotFound, isRefusedOperation } from '../temporal/grpc-status';
import { SetupRefusedError } from './setup-refused-error';
import type { TemporalServices } from './temporal-services';

const DAY_MS = 86_400_000;
const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

/**
 * Creates the namespace with the configured retention, or sets the retention of an existing one:
 * the config is the source of truth for how long closed runs (and the personal data in their
 * encrypted payloads) are kept. Returns one line saying what it did.
 */
export async function ensureNamespace(services: TemporalServices, namespace: string, retentionDays: number): Promise<string> {
  const retention = msToTs(retentionDays * DAY_MS);
  try {
    const description = await services.workflowService.describeNamespace({ namespace });
    const currentDays = tsToMs(description.config?.workflowExecutionRetentionTtl) / DAY_MS;
    if (currentDays === retentionDays) return `namespace "${namespace}": present, retention ${days(retentionDays)}`;
    try {
      await services.workflowService.updateNamespace({ namespace, config: { workflowExecutionRetentionTtl: retention } });
    } catch (err) {
      if (!isRefusedOperation(err)) throw err;
      // Temporal Cloud: the retention is set there; the namespace exists, so the rest can go on.
      return `namespace "${namespace}": present, retention ${days(currentDays)} — the server does not let us change it: set ${days(retentionDays)} with tcld or the Cloud UI`;
    }
    return `namespace "${namespace}": retention changed from ${days(currentDays)} to ${days(retentionDays)}`;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  try {
    await services.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: retention,
      description: 'lucca-connectors: Elevo user sync and Aequivalent screening orders',
    });
  } catch (err) {
    if (isRefusedOperation(err))
      throw new SetupRefusedError(
        `namespace "${namespace}" does not exist and the server does not let us create it (Temporal Cloud: create it with tcld or the Cloud UI, retention ${days(retentionDays)}), then run setup again`,
      );
    if (!isAlreadyExists(err)) throw err; // another `setup` created it meanwhile
    return ensureNamespace(services, namespace, retentionDays);
  }
  return `namespace "${namespace}": created, retention ${days(retentionDays)}`;
}
