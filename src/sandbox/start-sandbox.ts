import { loadConfig } from '../config/load-config';
import { AequivalentSandbox, addSandboxAccountsFromConfig } from './aequivalent';
import { ElevoSandbox } from './elevo';
import { addSandboxTenants, LuccaSandbox } from './lucca';

/** Ports the shipped sandbox config (config/sandbox.yaml) points at. */
export const SANDBOX_PORTS = { lucca: 4100, elevo: 4200, aequivalent: 4300 } as const;

export interface RunningSimulators {
  lucca: LuccaSandbox;
  elevo: ElevoSandbox;
  aequivalent: AequivalentSandbox;
  stop(): Promise<void>;
}

/**
 * The three simulators behind the embedded default: Lucca (generated French tenants acme and
 * globex, 50 requests/minute like production), Elevo and Aequivalent (our contracts). Aequivalent
 * dossiers advance on their own clock so a local run shows the whole lifecycle in minutes.
 */
export async function startSimulators(options: { webhookUrlFor?: (tenantId: string) => string; ports?: Partial<typeof SANDBOX_PORTS> } = {}): Promise<RunningSimulators> {
  const ports = { ...SANDBOX_PORTS, ...options.ports };
  const lucca = await LuccaSandbox.start({ port: ports.lucca, requestsPerMinute: 50 });
  addSandboxTenants(lucca);
  const elevo = await ElevoSandbox.start({ port: ports.elevo });
  const aequivalent = await AequivalentSandbox.start({ port: ports.aequivalent, lifecycle: { mode: 'auto', stepMs: 20_000, expireAfterMs: 6 * 7 * 24 * 3600 * 1000 } });
  const loaded = loadConfig();
  addSandboxAccountsFromConfig(aequivalent, loaded.config, loaded.baseDir, options.webhookUrlFor);
  return {
    lucca,
    elevo,
    aequivalent,
    async stop() {
      await Promise.allSettled([lucca.stop(), elevo.stop(), aequivalent.stop()]);
    },
  };
}

if (require.main === module) {
  const webhookBase = process.env.LUCCA_CONNECTORS_WEBHOOK_BASE_URL ?? 'http://127.0.0.1:4400';
  startSimulators({ webhookUrlFor: (t) => `${webhookBase}/webhooks/aequivalent/${t}` })
    .then((sims) => {
      console.log(`[sandbox] Lucca ${sims.lucca.url}  Elevo ${sims.elevo.url}  Aequivalent ${sims.aequivalent.url}`);
      const stop = () => void sims.stop().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((err) => {
      console.error(`[sandbox] failed to start: ${(err as Error).message}`);
      process.exit(1);
    });
}
