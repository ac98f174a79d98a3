/**
 * The "Background check" section of one employee's Lucca HR file, with list values already
 * resolved to their labels (codes are configurable per tenant, labels are what Aequivalent gets).
 */
export interface ScreeningSection {
  packageLabel: string | null;
  reasonCategoryLabel: string | null;
  reasonLabel: string | null;
  costCenter: string | null;
  /** Lucca file GUIDs: files themselves never travel through workflow payloads. */
  cvFileId: string | null;
  otherFileIds: string[];
  /** Lucca user id of the person in charge of the order (`e_client_username`). */
  clientUserId: number | null;
  /** Optional display name of that user, when the reader fetched it. */
  clientUserName?: string | null;
  orderStatusLabel: string | null;
}

/** The labels each list of the section accepts (from `extensionuserdefinitions`, or the seed defaults). */
export interface ScreeningListLabels {
  packages: readonly string[];
  /** Empty or omitted: any non-empty label is accepted. */
  reasonCategories?: readonly string[];
  reasons?: readonly string[];
}

/** The lists as the seed defines them; tenants may have other entries. */
export const DEFAULT_SCREENING_LABELS: ScreeningListLabels = Object.freeze({
  packages: ['Light - Consultants externes', 'Basic', 'Standard', 'Executive', 'Update', 'Update +'],
  reasonCategories: ['(potentielle) Employé·e', 'Consultant externe'],
  reasons: ['Shortlist', 'Négociation de contrat en cours', 'Offre signée', 'Emploi en cours', 'Mise à jour du dossier'],
});
