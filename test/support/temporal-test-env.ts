import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { temporalCliPath } from '../../src/temporal/temporal-cli-path';

/**
 * A real Temporal dev server (the CLI built from source), with the project's search attributes
 * registered. One per test file: start in beforeAll, teardown in afterAll.
 */
export async function startTemporalTestEnv(
  options: { dataConverter?: DataConverter; ui?: { port: number; codecEndpoint?: string } } = {},
): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    ...(options.dataConverter ? { client: { dataConverter: options.dataConverter } } : {}),
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      ip: '127.0.0.1',
      // The Web UI (browser tests), decrypting through the project's codec server.
      ...(options.ui ? { ui: true, uiPort: options.ui.port, ...(options.ui.codecEndpoint ? { extraArgs: ['--ui-codec-endpoint', options.ui.codecEndpoint] } : {}) } : {}),
    },
  });
}
