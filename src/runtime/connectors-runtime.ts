import type { DataConverter } from '@temporalio/common';
import type { AesGcmPayloadCodec } from '../codec/aes-gcm-payload-codec';
import { codecFromConfig, createDataConverter, strictDecodingFromConfig } from '../codec/data-converter';
import { loadConfig, type LoadedConfig } from '../config/load-config';
import { runtimeSettings, type RuntimeSettings } from '../config/runtime-settings';
import { sharedLuccaBudgetOptions } from '../config/shared-lucca-budget';
import { TenantDirectory } from '../config/tenant-directory';
import type { ArtifactStore } from '../storage/artifact-store';
import { createArtifactStore } from '../storage/create-artifact-store';
import { tenantPayloadKeys } from './tenant-payload-keys';

/**
 * The composition root: config → secrets → codec → data converter → store → tenant directory,
 * built the same way for every process (worker, CLI, webhook receiver, codec server, `npm start`,
 * bench, test harnesses). The Temporal connection is made from it by `temporal-connection.ts`.
 */
export interface ConnectorsRuntime {
  loaded: LoadedConfig;
  settings: RuntimeSettings;
  /** Tenants with their secrets (resolved on first use) and per-domain Lucca budgets. */
  tenants: TenantDirectory;
  /** Seals every payload (employee data) before it reaches Temporal. */
  codec: AesGcmPayloadCodec;
  dataConverter: DataConverter;
  /** Plans, batches, reports and run state: everything that outlives an activity. */
  artifacts: ArtifactStore;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** The config; read from LUCCA_CONNECTORS_CONFIG (or the sandbox config) when absent. */
  loaded?: LoadedConfig;
  env?: NodeJS.ProcessEnv;
  /**
   * Worker processes share each Lucca domain's budget through Temporal (every worker and connector
   * of a customer draws from the same 50 requests/minute); other processes make no Lucca requests.
   */
  sharedLuccaBudget?: boolean;
  /**
   * Create a tenant's key material (per-tenant payload and artifact keys) on first use: worker
   * processes (by default those sharing the Lucca budget). Others use existing material only.
   */
  createsTenantKeys?: boolean;
  /** Overrides of the settings that depend on where the process runs (tests, bench). */
  settings?: Partial<RuntimeSettings>;
}

export function buildRuntime(options: RuntimeOptions = {}): ConnectorsRuntime {
  const env = options.env ?? process.env;
  const loaded = options.loaded ?? loadConfig();
  const settings = { ...runtimeSettings(loaded.config, env, loaded.baseDir), ...options.settings };
  // A data directory given by a test or the bench is the filesystem store's directory.
  if (options.settings?.dataDir && !options.settings.storage && settings.storage.kind === 'filesystem')
    settings.storage = { ...settings.storage, dir: settings.dataDir };
  const budgetOptions = options.sharedLuccaBudget ? sharedLuccaBudgetOptions(settings.taskQueue) : {};
  const tenants = new TenantDirectory(loaded, env, budgetOptions);
  const codec = codecFromConfig(loaded.config, (ref) => tenants.secret(ref));
  const artifacts = createArtifactStore(settings, { cipher: codec.artifactCipher, resolveSecret: (ref) => tenants.secret(ref) });
  codec.useTenantKeys(
    tenantPayloadKeys(() => tenants.tenantIds, artifacts, options.createsTenantKeys ?? options.sharedLuccaBudget ?? false),
  );
  return {
    loaded,
    settings,
    tenants,
    codec,
    // Strict: unencrypted starts, signals and updates are refused unless the config allows them.
    dataConverter: createDataConverter(codec, strictDecodingFromConfig(loaded.config)),
    artifacts,
    close: () => artifacts.close(),
  };
}
