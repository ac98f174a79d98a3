import type { ActivityDependencies } from '../../../src/activities/activity-dependencies';
import { helloClientOf } from '../connector/hello-client';
import type { HelloSyncInput, HelloSyncResult } from '../connector/contract';

/** The hello connector's one activity: every active Lucca employee, recorded in Hello page by page. */
export function createHelloActivities(deps: ActivityDependencies) {
  return {
    async recordLuccaUsersInHello(input: HelloSyncInput): Promise<HelloSyncResult> {
      const hello = helloClientOf(deps.tenants, input.tenantId);
      let recorded = 0;
      for await (const page of deps.tenants.lucca(input.tenantId).listUsers({ fields: ['id', 'name'] })) {
        recorded += await hello.record(page.items.map((user) => ({ luccaId: Number(user.id), name: String(user.name) })));
      }
      return { recorded };
    },
  };
}
