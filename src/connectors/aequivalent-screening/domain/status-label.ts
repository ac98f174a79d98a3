/**
 * List labels are typed by hand in each tenant's Lucca, so the same entry shows up as
 * "Dossier crée par Aequivalent", "Dossier créé par Aequivalent" or "dossier cree par aequivalent".
 * Comparison ignores accents, case, surrounding/duplicate spaces and typographic apostrophes/dashes.
 */
export function normalizeStatusLabel(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '') // combining accents left by NFKD
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/[\u2010-\u2015]/g, '-')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

export function labelsMatch(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return false;
  return normalizeStatusLabel(a) === normalizeStatusLabel(b);
}

/** The entry of `known` that matches `label`, spelled as in `known` (the canonical spelling). */
export function findMatchingLabel(label: string, known: readonly string[]): string | undefined {
  const wanted = normalizeStatusLabel(label);
  return known.find((k) => normalizeStatusLabel(k) === wanted);
}
