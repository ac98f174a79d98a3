import type { Civility } from '../aequivalent/schemas';

/**
 * The candidate data read from Lucca for one screening order, already flattened from the v3
 * user fields (see `languageFromCultureId` and `civilityFromLucca` for the two conversions).
 * Dates may still be Lucca's naive ISO date-times ("1989-12-22T00:00:00"): validation keeps the day.
 */
export interface CandidateRecord {
  luccaId: number;
  lastName: string | null;
  firstName: string | null;
  civility: Civility | null;
  /** BCP-47 tag, from `cultureID`. */
  language: string | null;
  professionalEmail: string | null;
  professionalPhone: string | null;
  personalPhone: string | null;
  birthDate: string | null;
  contractStart: string | null;
  jobTitle: string | null;
}

const LANGUAGE_BY_LCID: ReadonlyMap<number, string> = new Map([
  [1036, 'fr-FR'],
  [1033, 'en-US'],
  [1031, 'de-DE'],
  [1034, 'es-ES'],
  [1040, 'it-IT'],
]);

/** Lucca's `cultureID` is a Windows LCID; only the languages Aequivalent serves are mapped. */
export function languageFromCultureId(cultureId: number | null | undefined): string | null {
  if (cultureId === null || cultureId === undefined) return null;
  return LANGUAGE_BY_LCID.get(cultureId) ?? null;
}

/**
 * Lucca's `civilTitle` value set is not documented (seen: "Mr", "Mrs"; French tenants may use
 * "M.", "Mme"), so we accept the usual variants and fall back to `gender`.
 */
export function civilityFromLucca(civilTitle: string | null | undefined, gender?: string | null): Civility | null {
  const title = (civilTitle ?? '').trim().toLowerCase().replace(/\.$/, '');
  if (['mr', 'm', 'monsieur', 'mister', 'herr'].includes(title)) return 'mr';
  if (['mrs', 'ms', 'miss', 'mme', 'mlle', 'madame', 'mademoiselle', 'frau'].includes(title)) return 'ms';
  if (['mx'].includes(title)) return 'mx';
  const g = (gender ?? '').trim().toLowerCase();
  if (g === 'male') return 'mr';
  if (g === 'female') return 'ms';
  if (g === 'misc' || g === 'diverse') return 'mx';
  return null;
}
