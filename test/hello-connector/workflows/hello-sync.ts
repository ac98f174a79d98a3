import { proxyActivities } from '@temporalio/workflow';
import type { createHelloActivities } from '../activities/hello-activities';
import type { HelloSyncInput, HelloSyncResult } from '../connector/contract';

const { recordLuccaUsersInHello } = proxyActivities<ReturnType<typeof createHelloActivities>>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3 },
});

/** One run: Lucca's employees recorded in Hello. */
export async function helloSync(input: HelloSyncInput): Promise<HelloSyncResult> {
  return recordLuccaUsersInHello({ tenantId: input.tenantId });
}
