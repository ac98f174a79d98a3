import { IntegrationError } from '../integrations/http/integration-error';
import type { LuccaClient } from '../integrations/lucca/lucca-client';
import type { ExtensionDefinition } from '../integrations/lucca/lucca-schemas';
import type { CanonicalUser } from '../integrations/lucca/lucca-user-fields';

/** What the connectors of a tenant need to know about the key; merged so one request serves them all. */
export interface LuccaNeeds {
  /** e_ codes whose definition and read access matter. */
  codes: string[];
  formerEmployees: boolean;
  futureEmployees: boolean;
  /** e_ codes to read on the first page of employees (files to try a download, values to re-write). */
  sampleCodes: string[];
}

/**
 * The facts a check decides on. Built with at most 5 requests whatever the number of connectors:
 * (1) one employee with every needed code (key accepted? anybody visible? which codes come back —
 * Lucca omits the codes of sections the key cannot read, and returns readable empty ones as null);
 * (2) count of former employees; (3) count of future hires; (4) every definition; (5) only when a
 * connector needs samples, the first 1,000 employees with those codes only.
 */
export interface LuccaAccessSnapshot {
  keyAccepted: boolean;
  /** Current and future employees the key sees. */
  visibleEmployees: number;
  formerEmployees: number | null;
  futureEmployees: number | null;
  /** Lower-cased codes that came back on a visible employee; null when nobody is visible. */
  readableCodes: Set<string> | null;
  /** By lower-cased code. */
  definitions: Map<string, ExtensionDefinition>;
  sample: CanonicalUser[];
}

export async function takeLuccaSnapshot(lucca: LuccaClient, needs: LuccaNeeds, today: string): Promise<LuccaAccessSnapshot> {
  const codes = unique(needs.codes);
  let first;
  try {
    first = await lucca.listUsersPage({ fields: ['id', ...(codes.length ? [`extendedData[${codes.join(',')}]`] : [])], pageSize: 1 }, 0);
  } catch (err) {
    if (err instanceof IntegrationError && err.kind === 'authentication') {
      return { keyAccepted: false, visibleEmployees: 0, formerEmployees: null, futureEmployees: null, readableCodes: null, definitions: new Map(), sample: [] };
    }
    throw err;
  }
  const one = first.items[0];
  const readableCodes = one ? new Set(Object.keys(one.extendedData ?? {}).map((c) => c.toLowerCase())) : null;
  const formerEmployees = needs.formerEmployees ? await countWith(lucca, { formerEmployees: 'true', dtContractEnd: `until,${dayBefore(today)}` }) : null;
  const futureEmployees = needs.futureEmployees ? await countWith(lucca, { dtContractStart: `greaterthan,${today}` }) : null;
  const definitions = new Map((await lucca.listExtensionDefinitions()).filter((d) => d.code).map((d) => [d.code!.toLowerCase(), d]));
  const sampleCodes = unique(needs.sampleCodes);
  const sample = sampleCodes.length && one ? (await lucca.listUsersPage({ fields: ['id', `extendedData[${sampleCodes.join(',')}]`] }, 0)).items : [];
  return { keyAccepted: true, visibleEmployees: first.count, formerEmployees, futureEmployees, readableCodes, definitions, sample };
}

async function countWith(lucca: LuccaClient, filters: Record<string, string>): Promise<number> {
  const { formerEmployees, ...rest } = filters;
  return (await lucca.listUsersPage({ fields: [], formerEmployees: formerEmployees === 'true', filters: rest, pageSize: 1 }, 0)).count;
}

function unique(codes: string[]): string[] {
  const seen = new Map<string, string>();
  for (const c of codes) if (!seen.has(c.toLowerCase())) seen.set(c.toLowerCase(), c);
  return [...seen.values()];
}

function dayBefore(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
