import { dirname } from 'node:path';
import type { Client } from '@temporalio/client';
import { loadConfig } from '../src/config/load-config';
import { resolveSecret } from '../src/config/secret-reference';
import { luccaEventsFindings } from '../src/onboarding/lucca-events-check';
import { buildRuntime } from '../src/runtime/connectors-runtime';
import type { LuccaSandbox } from '../dev/simulators/lucca';
import { LuccaApiSandbox } from '../dev/simulators/lucca-api';
import { startLuccaReceiverFromRuntime } from '../src/webhooks/lucca-receiver-from-runtime';
import type { RunningLuccaWebhookReceiver } from '../src/webhooks/lucca-webhook-receiver';
import { freePort } from '../test/support/free-port';

const CLIENT = { clientId: 'bench-connectors', clientSecret: 'bench-client-secret' };

/** The newer Lucca API for the bench's tenants with `lucca.events`: simulator, receiver, registered endpoints. */
export class BenchLuccaEvents {
  receiver?: RunningLuccaWebhookReceiver;
  private closeRuntime?: () => Promise<void>;

  private constructor(
    readonly api: LuccaApiSandbox,
    private readonly port: number,
    private readonly tenantIds: string[],
  ) {}

  static async start(lucca: LuccaSandbox, tenantIds: string[]): Promise<BenchLuccaEvents | undefined> {
    if (tenantIds.length === 0) return undefined;
    // Lucca's real retry spacing is minutes to hours; the bench loses nothing, so defaults are fine.
    const api = await LuccaApiSandbox.start({ lucca });
    return new BenchLuccaEvents(api, await freePort(), tenantIds);
  }

  /** The tenant's `lucca.events` section (config lines, indented for the tenant's `lucca:`). */
  configLines(tenantId: string, secret: (name: string, value: string) => string): string[] {
    return [
      '      events:',
      `        clientId: ${secret('lucca-client-id', CLIENT.clientId)}`,
      `        clientSecret: ${secret('lucca-client-secret', CLIENT.clientSecret)}`,
      `        webhookUrl: http://127.0.0.1:${this.port}/webhooks/lucca/${tenantId}`,
      `        webhookSecret: file:${tenantId}-lucca-webhook.secret`,
      `        apiBaseUrl: ${this.api.apiBaseUrlFor(tenantId)}`,
      `        tokenUrl: ${this.api.tokenUrl}`,
    ];
  }

  /** Once Temporal runs: our receiver (signalling the change feeds), and each endpoint registered as `tenants check` does. */
  async connect(configPath: string, client: Client, dataDir: string): Promise<void> {
    for (const id of this.tenantIds) this.api.enableTenant(id, CLIENT);
    const loaded = loadConfig(configPath);
    const runtime = buildRuntime({ loaded, settings: { dataDir } });
    this.closeRuntime = () => runtime.close();
    this.receiver = await startLuccaReceiverFromRuntime(runtime.tenants, client, { port: this.port });
    const configDir = dirname(configPath);
    for (const id of this.tenantIds) {
      const findings = await luccaEventsFindings({
        tenant: runtime.tenants.tenant(id),
        secret: (ref) => resolveSecret(ref, configDir),
        configDir,
      });
      if (!findings.some((f) => f.code === 'lucca-api.webhook-active')) throw new Error(`bench: ${id}'s Lucca endpoint is not active`);
    }
  }

  async stop(): Promise<void> {
    await this.receiver?.stop();
    await this.closeRuntime?.();
    await this.api.stop();
  }
}
