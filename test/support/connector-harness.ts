import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { AesGcmPayloadCodec } from '../../src/codec/aes-gcm-payload-codec';
import { connectorSections, parseConfigText } from '../../src/config/load-config';
import type { ConnectorDefinition } from '../../src/connectors/connector-definition';
import type { TenantDirectory } from '../../src/config/tenant-directory';
import { buildRuntime } from '../../src/runtime/connectors-runtime';
import type { ArtifactStore } from '../../src/storage/artifact-store';
import { createRuntimeWorker } from '../../src/worker';
import { tenantSectionsYaml, type TenantSections } from './tenant-sections-yaml';
import { startTemporalTestEnv } from './temporal-test-env';
import { writeTestConfigFile } from './test-config-file';

/**
 * Everything a connector test needs, all real: a Temporal dev server, a worker running the
 * project's workflows and activities, a config file pointing at sandbox simulators (started by the
 * test), secrets in files, and a temporary artifact store.
 */
export interface HarnessTenant {
  id: string;
  luccaBaseUrl: string;
  luccaApiKey: string;
  /** The tenant's connector sections (elevo, aequivalent, notifications), secrets as references. */
  sections?: TenantSections;
  /** Sections of connectors a test adds to the registry's (`connectors`), as the config file spells them. */
  extraSections?: Record<string, unknown>;
  luccaRequestsPerMinute?: number;
  /** The `lucca.events` section (newer Lucca API), values as the config spells them (secret references). */
  luccaEvents?: Record<string, string>;
}

export interface ConnectorHarness {
  env: TestWorkflowEnvironment;
  worker: Worker;
  taskQueue: string;
  tenants: TenantDirectory;
  artifacts: ArtifactStore;
  /** The payload codec the worker and `env.client` use (tests decode histories with it). */
  codec: AesGcmPayloadCodec;
  /** Writes a secret file and returns its `file:` reference. */
  secretRef(name: string, value: string): string;
  /** The config file the worker runs with (for the CLI, as a child process). */
  configPath: string;
  /** The filesystem store's directory (LUCCA_CONNECTORS_DATA_DIR for a CLI child process). */
  dataDir: string;
  stop(): Promise<void>;
}

export async function startConnectorHarness(options: {
  tenants: (secretRef: (name: string, value: string) => string) => HarnessTenant[];
  now?: () => Date;
  /** Dev-server dynamic config, e.g. `limit.historyCount.suggestContinueAsNew`. */
  dynamicConfig?: Record<string, number | string>;
  /** A fixed payload key (the replay recorder uses the sandbox key, so committed histories can be decoded). */
  payloadKey?: { id: string; material: string };
  /** Worker Deployment Versioning for the harness worker (deployment name + build id). */
  deployment?: { name: string; buildId: string };
  /** A PostgreSQL database URL: the artifact store is `storage: { kind: postgres }` there (migrated here) instead of a temporary directory. */
  storageUrl?: string;
  /** Also serve the Web UI on this port, decrypting through a codec server the caller starts with the harness's codec. */
  ui?: { port: number; startCodecServer: (codec: AesGcmPayloadCodec) => Promise<{ uiEndpoint: string; stop(): Promise<void> }> };
  /** The connectors the worker serves and the config admits (default: the registry's). */
  connectors?: readonly ConnectorDefinition[];
}): Promise<ConnectorHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'lc-harness-'));
  const secretRef = (name: string, value: string) => {
    writeFileSync(join(dir, name), value);
    return `file:${name}`;
  };
  const tenantList = options.tenants(secretRef);
  const taskQueue = `test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const { configPath, yaml } = writeTestConfigFile(dir, {
    taskQueue,
    ...(options.payloadKey ? { payloadKey: options.payloadKey.material, payloadKeyId: options.payloadKey.id } : {}),
    ...(options.storageUrl ? { storageYaml: `storage: { kind: postgres, url: "${secretRef('store.url', options.storageUrl)}" }` } : {}),
    tenantsYaml: tenantList.map((t) =>
      [
        `  - id: ${t.id}`,
        '    timeZone: Europe/Paris',
        '    lucca:',
        `      baseUrl: ${t.luccaBaseUrl}`,
        `      apiKey: ${secretRef(`${t.id}-lucca.key`, t.luccaApiKey)}`,
        `      requestsPerMinute: ${t.luccaRequestsPerMinute ?? 50}`,
        ...(t.luccaEvents ? ['      events:', ...Object.entries(t.luccaEvents).map(([k, v]) => `        ${k}: ${JSON.stringify(v)}`)] : []),
        tenantSectionsYaml({ ...t.sections, ...t.extraSections }),
      ].join('\n'),
    ),
  });
  // The production composition root, on a dev server with the project's search attributes.
  const runtime = buildRuntime({
    loaded: parseConfigText(yaml, configPath, connectorSections(options.connectors)),
    sharedLuccaBudget: true,
    settings: { dataDir: join(dir, 'artifacts') },
  });
  const { tenants, artifacts, codec } = runtime;
  await artifacts.migrate(); // what `lucca-connectors setup` does
  const codecServer = options.ui ? await options.ui.startCodecServer(codec) : undefined;
  const ui = options.ui ? { port: options.ui.port, codecEndpoint: codecServer?.uiEndpoint } : undefined;
  const env = await startTemporalTestEnv({
    dataConverter: runtime.dataConverter,
    ui,
    ...(options.dynamicConfig ? { dynamicConfig: options.dynamicConfig } : {}),
  });
  const worker = await createRuntimeWorker(runtime, env.nativeConnection, {
    now: options.now,
    ...(options.deployment ? { deployment: options.deployment } : {}),
    ...(options.connectors ? { connectors: options.connectors } : {}),
  });
  const running = worker.run();
  return {
    env,
    worker,
    taskQueue,
    tenants,
    artifacts,
    codec,
    secretRef,
    configPath,
    dataDir: join(dir, 'artifacts'),
    async stop() {
      worker.shutdown();
      await running;
      await env.teardown();
      await codecServer?.stop();
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
