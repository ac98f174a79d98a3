import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

/**
 * What anyone with read access to Temporal (or its database) sees without a key: search attributes
 * are never encoded, and a memo is readable unless the payload codec sealed it. Read raw from the
 * visibility API, before any data converter.
 */
export interface VisibleField {
  workflowId: string;
  kind: 'search attribute' | 'memo';
  key: string;
  /** The readable bytes as text (a sealed memo contributes nothing readable). */
  text: string;
}

const SEALED = 'binary/encrypted';

export async function visibleFields(client: Client, query?: string): Promise<VisibleField[]> {
  const fields: VisibleField[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.listWorkflowExecutions({ namespace: client.options.namespace, query, nextPageToken });
    for (const execution of page.executions ?? []) fields.push(...fieldsOf(execution));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return fields;
}

function fieldsOf(execution: temporal.api.workflow.v1.IWorkflowExecutionInfo): VisibleField[] {
  const workflowId = execution.execution?.workflowId ?? '';
  const out: VisibleField[] = [];
  for (const [key, payload] of Object.entries(execution.searchAttributes?.indexedFields ?? {})) {
    out.push({ workflowId, kind: 'search attribute', key, text: Buffer.from(payload.data ?? []).toString('utf8') });
  }
  for (const [key, payload] of Object.entries(execution.memo?.fields ?? {})) {
    const sealed = Buffer.from(payload.metadata?.encoding ?? []).toString() === SEALED;
    out.push({ workflowId, kind: 'memo', key, text: sealed ? '' : Buffer.from(payload.data ?? []).toString('utf8') });
  }
  return out;
}

/** The fields that contain any of the forbidden values (outcomes, names, e-mails…). */
export function leaksIn(fields: VisibleField[], forbidden: readonly string[]): Array<VisibleField & { found: string }> {
  return fields.flatMap((f) => forbidden.filter((v) => f.text.includes(v)).map((found) => ({ ...f, found })));
}
