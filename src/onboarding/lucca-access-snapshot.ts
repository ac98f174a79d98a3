import { IntegrationError } from '../integrations/http/integration-error';
import { LUCCA_MAX_PAGE_SIZE, type LuccaClient } from '../integrations/lucca/lucca-client';
import type { ExtensionDefinition } from '../integrations/lucca/lucca-schemas';
import type { CanonicalUser } from '../integrations/lucca/lucca-user-fields';
import { observeCodes, type CodeObservations } from './code-observations';

/** What the connectors of a tenant need to know about the key; merged so one request serves them all. */
export interface LuccaNeeds {
  /** e_ codes whose definition and read access matter. */
  codes: string[];
  formerEmployees: boolean;
  futureEmployees: boolean;
  /** e_ codes whose values a check reads on the employees (files to try a download, values to re-write). */
  sampleCodes: string[];
}

/**
 * The facts a check decides on. Built with at most 4 requests whatever the number of connectors:
 * (1) the first 1,000 employees with every needed code (key accepted? anybody visible? which codes
 * come back, on how many employees, with a value or empty); (2) count of former employees; (3) count
 * of future hires; (4) every definition, in one collection read.
 */
export interface LuccaAccessSnapshot {
  keyAccepted: boolean;
  /** Current and future employees the key sees. */
  visibleEmployees: number;
  formerEmployees: number | null;
  futureEmployees: number | null;
  /** How each needed code came back on the employees read (see CodeObservations). */
  codes: CodeObservations;
  /** By lower-cased code. */
  definitions: Map<string, ExtensionDefinition>;
  /** The employees read (id and the needed codes only). */
  sample: CanonicalUser[];
}

export async function takeLuccaSnapshot(lucca: LuccaClient, needs: LuccaNeeds, today: string): Promise<LuccaAccessSnapshot> {
  const codes = unique([...needs.codes, ...needs.sampleCodes]);
  let first;
  try {
    const fields = ['id', ...(codes.length ? [`extendedData[${codes.join(',')}]`] : [])];
    first = await lucca.listUsersPage({ fields, pageSize: LUCCA_MAX_PAGE_SIZE }, 0);
  } catch (err) {
    if (err instanceof IntegrationError && err.kind === 'authentication') {
      return {
        keyAccepted: false,
        visibleEmployees: 0,
        formerEmployees: null,
        futureEmployees: null,
        codes: observeCodes([], codes),
        definitions: new Map(),
        sample: [],
      };
    }
    throw err;
  }
  const formerEmployees = needs.formerEmployees
    ? await countWith(lucca, { formerEmployees: 'true', dtContractEnd: `until,${dayBefore(today)}` })
    : null;
  const futureEmployees = needs.futureEmployees ? await countWith(lucca, { dtContractStart: `greaterthan,${today}` }) : null;
  const definitions = new Map((await lucca.listExtensionDefinitions()).filter((d) => d.code).map((d) => [d.code!.toLowerCase(), d]));
  return {
    keyAccepted: true,
    visibleEmployees: first.count,
    formerEmployees,
    futureEmployees,
    codes: observeCodes(first.items, codes),
    definitions,
    sample: first.items,
  };
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
