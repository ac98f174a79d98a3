import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { temporalCliPath } from '../../src/temporal/temporal-cli-path';

/**
 * A real Temporal dev server (the CLI built from source), with the project's search attributes
 * registered. One per test file: start in beforeAll, teardown in afterAll.
 */
export async function startTemporalTestEnv(
  options: {
    dataConverter?: DataConverter;
    dynamicConfig?: Record<string, number | string>;
    ui?: { port: number; codecEndpoint?: string };
  } = {},
): Promise<TestWorkflowEnvironment> {
  const extraArgs = Object.entries(options.dynamicConfig ?? {}).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${value}`]);
  // The Web UI (browser tests), decrypting through the project's codec server.
  if (options.ui?.codecEndpoint) extraArgs.push('--ui-codec-endpoint', options.ui.codecEndpoint);
  return TestWorkflowEnvironment.createLocal({
    ...(options.dataConverter ? { client: { dataConverter: options.dataConverter } } : {}),
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      ip: '127.0.0.1',
      extraArgs,
      ...(options.ui ? { ui: true, uiPort: options.ui.port } : {}),
    },
  });
}
