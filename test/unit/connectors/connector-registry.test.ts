import { createActivities } from '../../../src/activities';
import { createFilesystemArtifactStore } from '../../../src/storage/create-artifact-store';
import { loadConfig } from '../../../src/config/load-config';
import { TenantDirectory } from '../../../src/config/tenant-directory';
import { CONNECTORS, connectorByName, connectorByWorkflowType, connectorsOf } from '../../../src/connectors/registry';
import * as sharedWorkflows from '../../../src/workflows';
import { describeSimulators, LUCCA_SANDBOX_PORT, startSimulators } from '../../../dev/start-sandbox';
import { CONNECTOR_SIMULATORS } from '../../../dev/simulators/connector-simulators';
import { connectorSectionOf, type TenantConfig } from '../../../src/config/config-schema';

/** Every workflow type the worker bundles: the shared ones and each connector's (src/runtime/workflows-entry.ts). */
const workflows: Record<string, unknown> = Object.assign(
  {},
  sharedWorkflows,
  ...CONNECTORS.map((c) => jest.requireActual<object>(c.workflowsPath)),
);
const sandboxConfig = () => loadConfig('config/sandbox.yaml');
const unique = (values: readonly unknown[]) => new Set(values).size === values.length;

describe('connector registry', () => {
  it('gives each connector its own name, workflow type, config section and sandbox port', () => {
    expect(unique(CONNECTORS.map((c) => c.name))).toBe(true);
    expect(unique(CONNECTORS.map((c) => c.workflowType))).toBe(true);
    expect(unique(CONNECTORS.map((c) => c.configKey))).toBe(true);
    expect(unique([LUCCA_SANDBOX_PORT, ...CONNECTORS.map((c) => CONNECTOR_SIMULATORS[c.name].port)])).toBe(true);
  });

  it('registers only workflow types the worker serves', () => {
    for (const connector of CONNECTORS) expect(Object.keys(workflows)).toContain(connector.workflowType);
  });

  it('gives every workflow type a connector owns words in `runs`, each type owned by one connector', () => {
    for (const connector of CONNECTORS) expect(Object.keys(connector.runWords)).toContain(connector.workflowType);
    const owned = CONNECTORS.flatMap((c) => Object.keys(c.runWords));
    expect(unique(owned)).toBe(true);
    for (const type of owned) expect(Object.keys(workflows)).toContain(type);
  });

  it('derives a tenant’s connectors from its enabled config sections', () => {
    const acme = sandboxConfig().config.tenants.find((t) => t.id === 'acme')!;
    expect(connectorsOf(acme).map((c) => c.name)).toEqual(
      CONNECTORS.filter((c) => (connectorSectionOf(acme, c.configKey) as { enabled: boolean } | undefined)?.enabled).map((c) => c.name),
    );
    const withoutElevo: TenantConfig = { ...acme, elevo: acme.elevo && { ...acme.elevo, enabled: false } };
    expect(connectorsOf(withoutElevo).map((c) => c.name)).not.toContain('elevo-user-sync');
    expect(() => connectorByName(withoutElevo, 'elevo-user-sync')).toThrow('connector "elevo-user-sync" is not enabled for tenant "acme"');
    expect(connectorByName(acme, 'aequivalent-screening').schedule).toEqual(acme.aequivalent!.schedule);
  });

  it('finds the connector of a run by its workflow type, and none for order or budget workflows', () => {
    expect(connectorByWorkflowType('elevoUserSync')?.name).toBe('elevo-user-sync');
    expect(connectorByWorkflowType('screeningIntake')?.name).toBe('aequivalent-screening');
    expect(connectorByWorkflowType('screeningOrder')).toBeUndefined();
    expect(connectorByWorkflowType('luccaRequestBudget')).toBeUndefined();
  });

  it('builds the worker’s activities from every connector, each name once', () => {
    const loaded = sandboxConfig();
    const activities = createActivities({
      tenants: new TenantDirectory(loaded),
      artifacts: createFilesystemArtifactStore('/tmp/unused-artifacts'),
    });
    const names = Object.keys(activities);
    for (const connector of CONNECTORS) {
      const own = Object.keys(
        connector.createActivities({
          tenants: new TenantDirectory(loaded),
          artifacts: createFilesystemArtifactStore('/tmp/unused-artifacts'),
        }),
      );
      expect(own.length).toBeGreaterThan(0);
      expect(names).toEqual(expect.arrayContaining(own));
    }
    expect(names).toContain('checkLuccaConnection');
  });

  it.each(CONNECTORS.map((c) => [c.name, c] as const))(
    'starts the simulator of %s on a free port, answering HTTP',
    async (_name, connector) => {
      const simulator = await CONNECTOR_SIMULATORS[connector.name].start({ port: 0, loaded: sandboxConfig() });
      try {
        const response = await fetch(`${simulator.url}/no-such-path`);
        expect(response.status).toBeGreaterThanOrEqual(400); // an HTTP answer (unauthenticated or unknown), not a refused connection
      } finally {
        await simulator.stop();
      }
    },
  );

  it('starts the sandbox: Lucca and the simulator of every registered connector', async () => {
    const sims = await startSimulators({ anyFreePort: true });
    try {
      expect([...sims.targets.keys()]).toEqual(CONNECTORS.map((c) => c.name));
      for (const name of CONNECTORS.map((c) => c.name)) expect(describeSimulators(sims)).toContain(`${name} http://127.0.0.1:`);
      for (const url of [sims.lucca.url, ...[...sims.targets.values()].map((t) => t.url)])
        expect((await fetch(`${url}/no-such-path`)).status).toBeGreaterThanOrEqual(400);
    } finally {
      await sims.stop();
    }
  });
});
