import { loadConfig } from '../src/config/load-config';
import { CONNECTORS, type ConnectorName } from '../src/connectors/registry';
import { addSandboxTenants, LuccaSandbox } from './simulators/lucca';
import type { RunningSimulator } from './simulators/connector-simulator';
import { CONNECTOR_SIMULATORS } from './simulators/connector-simulators';
import { LUCCA_API_SANDBOX_PORT, startSandboxLuccaApi, type LuccaApiSandbox } from './simulators/lucca-api';

/** Port of the Lucca simulator in the shipped sandbox config (config/sandbox.yaml); each connector declares its own. */
export const LUCCA_SANDBOX_PORT = 4100;

export interface RunningSimulators {
  lucca: LuccaSandbox;
  /** The newer Lucca API (webhooks, events feed), when a sandbox tenant configures `lucca.events`. */
  luccaApi?: LuccaApiSandbox;
  /** The target system of every registered connector, by connector name. */
  targets: Map<ConnectorName, RunningSimulator>;
  stop(): Promise<void>;
}

/**
 * The simulators behind the embedded default: Lucca (generated French tenants acme and globex,
 * 50 requests/minute like production) and the target system of every registered connector.
 */
export async function startSimulators(
  options: { webhookUrlFor?: (tenantId: string) => string; anyFreePort?: boolean } = {},
): Promise<RunningSimulators> {
  const loaded = loadConfig();
  const portOf = (port: number) => (options.anyFreePort ? 0 : port);
  const lucca = await LuccaSandbox.start({ port: portOf(LUCCA_SANDBOX_PORT), requestsPerMinute: 50 });
  addSandboxTenants(lucca);
  const luccaApi = await startSandboxLuccaApi(lucca, loaded, portOf(LUCCA_API_SANDBOX_PORT));
  const targets = new Map<ConnectorName, RunningSimulator>();
  for (const connector of CONNECTORS) {
    const simulator = CONNECTOR_SIMULATORS[connector.name];
    targets.set(connector.name, await simulator.start({ port: portOf(simulator.port), loaded, webhookUrlFor: options.webhookUrlFor }));
  }
  return {
    lucca,
    luccaApi,
    targets,
    async stop() {
      await luccaApi?.stop();
      await Promise.allSettled([lucca.stop(), ...[...targets.values()].map((t) => t.stop())]);
    },
  };
}

/** `Lucca http://…, elevo-user-sync http://…, …` */
export function describeSimulators(sims: RunningSimulators): string {
  return [
    `Lucca ${sims.lucca.url}`,
    ...(sims.luccaApi ? [`Lucca API ${sims.luccaApi.url}`] : []),
    ...[...sims.targets].map(([name, sim]) => `${name} ${sim.url}`),
  ].join(', ');
}

if (require.main === module) {
  const webhookBase = process.env.LUCCA_CONNECTORS_WEBHOOK_BASE_URL ?? 'http://127.0.0.1:4400';
  startSimulators({ webhookUrlFor: (t) => `${webhookBase}/webhooks/aequivalent/${t}` })
    .then((sims) => {
      console.log(`[sandbox] ${describeSimulators(sims)}`);
      const stop = () => void sims.stop().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((err) => {
      console.error(`[sandbox] failed to start: ${(err as Error).message}`);
      process.exit(1);
    });
}
