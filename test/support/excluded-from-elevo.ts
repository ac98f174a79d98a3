import { GENERATED_CODES, type LuccaTenantStore } from '../../dev/simulators/lucca';

/** Whether a generated employee's "Ne pas synchroniser avec Elevo" checkbox is ticked (the sync skips them). */
export function isExcludedFromElevo(store: LuccaTenantStore, luccaId: number): boolean {
  return (store.getExtendedValue(luccaId, GENERATED_CODES.skipElevoSync) as { value?: unknown } | undefined)?.value === true;
}
