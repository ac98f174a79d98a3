/**
 * A Temporal Web UI link that opens one run. The UI's workflow page needs the run id in the path
 * (`/workflows/<id>` alone answers "Bad Request"); `LUCCA_CONNECTORS_UI_URL` sets the UI address.
 */
export function workflowUiLink(uiUrl: string, namespace: string, workflowId: string, runId: string): string {
  return `${uiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`;
}

export const DEFAULT_UI_URL = 'http://127.0.0.1:8233';

export function uiUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.LUCCA_CONNECTORS_UI_URL ?? DEFAULT_UI_URL;
}
