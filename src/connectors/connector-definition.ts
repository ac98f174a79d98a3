import type { Client, WorkflowHandle } from '@temporalio/client';
import type { z } from 'zod';
import type { ConnectorSectionBase } from '../config/schema-parts';
import type { ActivityDependencies } from '../activities/activity-dependencies';
import type { ArtifactStore } from '../storage/artifact-store';
import type { ConnectorOnboardingCheck } from '../onboarding/connector-check';
import type { RunWords } from '../reports/run-words';
import type { ConnectorConfigKey } from '../config/connector-config-key';

export type { ConnectorConfigKey } from '../config/connector-config-key';

export type { ReportFormat } from '../reports/report-document';
import type { ReportFormat } from '../reports/report-document';

/** What `run --wait` shows while a run is in flight. */
export interface RunProgress {
  line: string;
  /** Set when the run waits for a human: why, as short codes. */
  heldBecause?: string[];
}

/**
 * Everything the CLI, the schedules, `npm start`, the sandbox, the worker and the tenant directory
 * need to know about one connector. Adding a connector: docs/adding-a-connector.md. Its simulator lives in the dev tree
 * (dev/simulators/connector-simulators.ts): the product never loads one.
 */
export interface ConnectorDefinition<Name extends string = string, Activities extends object = object> {
  /** The connector's one name: CLI argument, schedule id `<name>/<tenant>`, `LuccaConnector` search attribute. */
  readonly name: Name;
  /** Human title, e.g. "Elevo user sync". */
  readonly title: string;
  /** The tenant's config section that enables and configures it. */
  readonly configKey: ConnectorConfigKey;
  /** That section's schema (with `enabled` and `schedule`): the config loader validates tenants with it. */
  readonly configSection: z.ZodType<ConnectorSectionBase>;
  /** The module exporting its workflow types (`require.resolve` of its folder in src/workflows): the worker bundles it. */
  readonly workflowsPath: string;
  /** Workflow type its schedule, `run`, `backfill` and `npm start` start, with `{ tenantId, runDate?, dryRun? }`. */
  readonly workflowType: string;
  /** Workflow id of the run of a tenant and day (manual runs append a suffix, schedules their time). */
  runWorkflowId(tenantId: string, runDate: string): string;
  /** Whether `run --dry-run` means something for it. */
  readonly supportsDryRun: boolean;
  /** Its activities, built from the worker's dependencies. */
  createActivities(deps: ActivityDependencies): Activities;
  /** Why `backfill` is refused for it, in words for the operator (absent: backfill allowed). */
  backfillRefusal?(tenantId: string): string;
  /** Checked before a manual `run` starts (e.g. one sync per tenant): throws a clear error to refuse. */
  beforeManualRun?(client: Client, tenantId: string, options: { dryRun: boolean }): Promise<void>;
  /** `runs`: each of its workflow types (scheduled run, and children such as orders) in words. */
  readonly runWords: Readonly<Record<string, RunWords>>;
  /** One-line progress of a run in flight, when its workflow exposes one. */
  progress?(handle: WorkflowHandle): Promise<RunProgress | undefined>;
  /** The report of a finished run from its result (undefined: not in the artifact store); default: the result as JSON. */
  renderReport?(result: unknown, artifacts: ArtifactStore, format: ReportFormat): Promise<string | undefined>;
  /** `tenants check`: what the connector needs from Lucca and its target system, and how to judge it. */
  readonly onboardingCheck: ConnectorOnboardingCheck;
}
