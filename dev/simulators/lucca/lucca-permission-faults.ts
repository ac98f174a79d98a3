import { z } from 'zod';
import type { LuccaTenantStore } from './lucca-tenant-store';

/**
 * The rights a customer can forget when setting up an API key, as Lucca shows them: mostly silent
 * (a section's data or former employees simply do not appear), a 403 only on writes.
 */
export type LuccaPermissionFault =
  /** "Consulter le dossier du personnel" not granted on a section: its data is silently absent. */
  | { kind: 'hidden-section'; section: string }
  /** "Modifier le dossier du personnel" not granted on a section: writes get 403. */
  | { kind: 'read-only-section'; section: string }
  /** "Voir les anciens collaborateurs" missing: `formerEmployees=true` returns none. */
  | { kind: 'no-former-employees' }
  /** "Voir les futurs collaborateurs" missing: future hires are absent. */
  | { kind: 'no-future-employees' }
  /** An HR admin created the list without one of the expected entries (or deleted it). */
  | { kind: 'missing-list-entry'; code: string; label: string };

/** Applies one fault to one API key (or to the tenant's data for a list entry). */
export function applyLuccaPermissionFault(store: LuccaTenantStore, apiKey: string, fault: LuccaPermissionFault): void {
  const key = store.findApiKey(apiKey);
  if (!key) throw new Error('Unknown API key');
  switch (fault.kind) {
    case 'hidden-section':
      store.setApiKeyPermissions(apiKey, { readableSections: grantsWithout(store, key.permissions.readableSections, fault.section) });
      return;
    case 'read-only-section':
      store.setApiKeyPermissions(apiKey, { writableSections: grantsWithout(store, key.permissions.writableSections, fault.section) });
      return;
    case 'no-former-employees':
      store.setApiKeyPermissions(apiKey, { formerEmployees: false });
      return;
    case 'no-future-employees':
      store.setApiKeyPermissions(apiKey, { futureEmployees: false });
      return;
    case 'missing-list-entry':
      store.removeListEntry(fault.code, fault.label);
      return;
  }
}

/** The grants minus one section (or code): 'all' becomes the explicit list of every other section and code. */
function grantsWithout(store: LuccaTenantStore, grants: 'all' | string[], removed: string): string[] {
  const lower = removed.toLowerCase();
  const all = grants === 'all' ? [...store.definitions.values()].map((d) => d.section ?? d.code) : grants;
  const removedCodes = new Set(
    [...store.definitions.values()]
      .filter((d) => d.section?.toLowerCase() === lower || d.code.toLowerCase() === lower)
      .map((d) => d.code.toLowerCase()),
  );
  return [...new Set(all)].filter((g) => g.toLowerCase() !== lower && !removedCodes.has(g.toLowerCase()));
}

/** The admin endpoint's body (`POST /_sandbox/{tenant}/permission-faults`), for demos on `npm start`. */
export const luccaPermissionFaultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('hidden-section'), section: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('read-only-section'), section: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('no-former-employees') }).strict(),
  z.object({ kind: z.literal('no-future-employees') }).strict(),
  z.object({ kind: z.literal('missing-list-entry'), code: z.string().min(1), label: z.string().min(1) }).strict(),
]);
