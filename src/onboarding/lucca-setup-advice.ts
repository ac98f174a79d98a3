/**
 * Advice in the customer's words, with Lucca's own labels where the reference documents them
 * (French labels from the set-up articles, English ones from Lucca's role administration), so an
 * HR admin can follow it in their Lucca without translating our vocabulary.
 */

/** Lucca's names of the data formats ("Format de la donnée" in the HR-file configuration). */
const FORMAT_LABELS: Record<string, string> = {
  text: 'Texte',
  boolean: 'Case à cocher',
  list: 'Liste de valeurs',
  select: 'Liste de valeurs',
  radio: 'Liste de valeurs',
  file: 'Fichier joint',
  user: 'Utilisateur',
  date: 'Date',
  integer: 'Nombre entier',
};

export function formatLabel(formatKey: string | undefined, multiple = false): string {
  const label = (formatKey && FORMAT_LABELS[formatKey.toLowerCase()]) || formatKey || 'inconnu';
  return multiple ? `${label} - Occurrences multiples` : label;
}

const quoteSection = (section: string) => (section.startsWith('that holds') ? section : `"${section}"`);

const ROLES_MENU = 'Lucca > Administration des rôles (the API key has its own role, at the bottom of the list)';

export const advice = {
  keyRefused: () =>
    'Lucca refuses the API key (HTTP 401). Check the key and the URL; if the key was deleted, generate a new one (rocket icon > "Intégrations" for a pre-configured key, or Settings > "Authentication, SSO and API" > API keys) and update the secret it is read from.',
  noEmployeeVisible: () =>
    `The key sees no employee. ${ROLES_MENU}: give the key read access to the directory ("droits de lecture sur l'annuaire" — Employees tab, "Consult / create / modify users" or the directory read right), for all establishments.`,
  seeFormer: () =>
    `Former employees are not visible: ${ROLES_MENU}, Employees tab: tick "See former employees" (Voir les anciens collaborateurs).`,
  seeFuture: () =>
    `Future employees are not visible: ${ROLES_MENU}, Employees tab: tick "See future employees" (Voir les futurs collaborateurs).`,
  /** `section` is a name, or a phrase starting with "that holds" when the section is the customer's choice. */
  readSection: (section: string, readOnly: boolean) =>
    `${ROLES_MENU}: give the API key "Consulter le dossier du personnel" on the section ${quoteSection(section)}${readOnly ? ' ("Consulter seulement" is enough)' : ''}.`,
  /** When the answers cannot tell "nobody has a value" from "hidden": how to find out, nothing destructive. */
  confirmReadSection: (section: string, code: string, readOnly: boolean) =>
    `To confirm: ${ROLES_MENU}, check that the API key has "Consulter le dossier du personnel" on the section ${quoteSection(section)}${readOnly ? ' ("Consulter seulement" is enough)' : ''}; or fill ${code} for one employee and run the check again.`,
  /** When the definition's format key is not one Lucca documents: look, change nothing yet. */
  confirmFormat: (code: string, expected: string) =>
    `To confirm: in Dossier RH > Configuration, open the data ${code} and check that its format is "${expected}". If it is not, set the code of a data with that format in the tenant's configuration.`,
  writeSection: (section: string) =>
    `${ROLES_MENU}: give the API key "Modifier le dossier du personnel" on the section "${section}" (Consulter / Modifier le dossier du personnel > section "${section}").`,
  createData: (section: string, name: string, code: string, format: string) =>
    `In Lucca > Dossier RH > Configuration, section ${quoteSection(section)} (create it with "Ajouter une section" if needed): add the data "${name}" with the code ${code} and the format "${format}".`,
  changeFormat: (code: string, actual: string, expected: string) =>
    `The data ${code} is "${actual}" but must be "${expected}": in Dossier RH > Configuration, recreate it with the format "${expected}" (Lucca cannot change a format), or set another code in the tenant's configuration.`,
  addListEntry: (code: string, name: string, label: string) =>
    `In Dossier RH > Configuration, open the data "${name}" (${code}, Liste de valeurs) and add the entry "${label}".`,
};
