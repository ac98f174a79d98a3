import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { ConnectorDefinition } from '../connectors/connector-definition';
import { CONNECTORS } from '../connectors/registry';

/** The shared workflow types (budget, connection check, change feed). */
export const SHARED_WORKFLOWS_PATH = require.resolve('../workflows');

/**
 * The module a worker bundles: the shared workflow types and each connector's (its `workflowsPath`). Temporal
 * bundles from one module, and workflow code cannot import the registry (it loads activities), so the module is
 * written from the registry: adding a connector adds its workflows without another list to edit. Written once
 * per distinct list, named by its content, inside the project (the bundler resolves `@temporalio/workflow` from it).
 */
export function workflowsEntry(connectors: readonly Pick<ConnectorDefinition, 'workflowsPath'>[] = CONNECTORS): string {
  const modules = [SHARED_WORKFLOWS_PATH, ...connectors.map((c) => c.workflowsPath)];
  const source = modules.map((path) => `export * from ${JSON.stringify(path.slice(0, -extname(path).length))};\n`).join('');
  const name = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const dir = join(__dirname, '..', '..', 'node_modules', '.cache', 'lucca-connectors-workflows');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}${extname(__filename)}`);
  writeFileSync(file, source);
  return file;
}
