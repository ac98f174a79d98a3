import { join, resolve } from 'node:path';
import { loadConfig } from '../../../src/config/load-config';
import { runtimeSettings } from '../../../src/config/runtime-settings';

// Temporal's Worker Controller (Kubernetes) names each pod's version with its own variables.
describe("the worker's Worker Deployment version", () => {
  const { config } = loadConfig(join(resolve(__dirname, '../../..'), 'config', 'sandbox.yaml'));

  it('is unversioned when nothing names a build', () => {
    expect(runtimeSettings(config, {}).deployment).toBeUndefined();
  });

  it("is the release's build id under the config's deployment name", () => {
    expect(runtimeSettings(config, { LUCCA_CONNECTORS_BUILD_ID: '1.4.0' }).deployment).toEqual({
      name: config.temporal.deploymentName,
      buildId: '1.4.0',
    });
  });

  it('is what the Worker Controller sets, when it manages the pods', () => {
    const env = { TEMPORAL_DEPLOYMENT_NAME: 'connectors/lc-lucca-connectors-worker', TEMPORAL_WORKER_BUILD_ID: '1.4.0-5d7f' };
    expect(runtimeSettings(config, env).deployment).toEqual({ name: 'connectors/lc-lucca-connectors-worker', buildId: '1.4.0-5d7f' });
  });
});
