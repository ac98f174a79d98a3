import { CONNECTORS } from '../connectors/registry';

/**
 * One line per run for `lucca-connectors runs`: counts or the outcome in words, from the run's
 * result (closed runs) or its state search attribute (running ones), in the words of the connector
 * that owns the workflow type. No personal data.
 */
export function runOutcomeWords(workflowType: string, temporalStatus: string, runState: string, result: unknown): string {
  const words = CONNECTORS.map((c) => c.runWords[workflowType]).find((w) => w !== undefined);
  if (temporalStatus === 'RUNNING') return words?.running?.(runState) ?? (runState ? runState.replace(/-/g, ' ') : 'running');
  if (temporalStatus !== 'COMPLETED') return `${temporalStatus.toLowerCase().replace(/_/g, ' ')} (see the Web UI)`;
  return words ? words.finished(result, runState) : runState;
}
