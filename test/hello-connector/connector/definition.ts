import type { ConnectorDefinition } from '../../../src/connectors/connector-definition';
import { createHelloActivities } from '../activities/hello-activities';
import { helloSectionSchema } from './config-section';
import { HELLO_CONNECTOR, HELLO_SYNC, helloSyncWorkflowId, type HelloSyncResult } from './contract';

/** Lucca → Hello, daily per tenant (config section `hello`). */
export const helloConnector = {
  name: HELLO_CONNECTOR,
  title: 'Hello recorder',
  configKey: 'hello',
  configSection: helloSectionSchema,
  workflowsPath: require.resolve('../workflows'),
  workflowType: HELLO_SYNC,
  runWorkflowId: helloSyncWorkflowId,
  supportsDryRun: false,
  createActivities: createHelloActivities,
  runWords: { [HELLO_SYNC]: { finished: (result) => `${(result as HelloSyncResult | undefined)?.recorded ?? '?'} users recorded` } },
  onboardingCheck: {
    connector: HELLO_CONNECTOR,
    enabled: (tenant) => !!(tenant as unknown as { hello?: { enabled: boolean } }).hello?.enabled,
    luccaNeeds: () => ({ codes: [], formerEmployees: false, futureEmployees: false, sampleCodes: [] }),
    luccaFindings: async () => [],
    targetFinding: async () => ({ code: 'hello.reachable', severity: 'ok', subject: 'Hello', detail: 'a test target, always reachable' }),
  },
} satisfies ConnectorDefinition<typeof HELLO_CONNECTOR>;
