import type { AequivalentConnectorConfig } from '../../connectors/aequivalent-screening/config-section';
import {
  civilityFromLucca,
  findMatchingLabel,
  languageFromCultureId,
  type CandidateRecord,
  type ScreeningSection,
} from '../../connectors/aequivalent-screening/domain';
import { fileIdOf, interpretValue, occurrences } from '../../integrations/lucca/extended-data';
import type { LuccaClient } from '../../integrations/lucca/lucca-client';
import type { ExtendedValue, ExtensionDefinition } from '../../integrations/lucca/lucca-schemas';
import { cachedDefinitions } from '../../integrations/lucca/definition-cache';
import {
  readExtendedData,
  toIsoDate,
  toNullableInt,
  toNullableString,
  type CanonicalUser,
} from '../../integrations/lucca/lucca-user-fields';

/** Only the fields an order needs (personal data minimisation): one GET per order. */
export const CANDIDATE_FIELDS = [
  'id',
  'lastName',
  'firstName',
  'civilTitle',
  'gender',
  'cultureID',
  'mail',
  'directLine',
  'professionalMobile',
  'personalMobile',
  'birthDate',
  'dtContractStart',
  'jobTitle',
] as const;

export type ScreeningFields = AequivalentConnectorConfig['fields'];

export function sectionCodes(fields: ScreeningFields): string[] {
  return [
    fields.package,
    fields.reasonCategory,
    fields.reason,
    fields.costCenter,
    fields.cvFile,
    fields.otherFiles,
    fields.clientUser,
    fields.orderStatus,
  ];
}

/** `extendedData[e_a,e_b]`: only the Background check codes, present even when empty. */
export function candidateFieldSelection(fields: ScreeningFields): string[] {
  return [...CANDIDATE_FIELDS, `extendedData[${sectionCodes(fields).join(',')}]`];
}

/** Definitions of the list codes (labels live there): the tenant's cached collection, one read per run. */
export async function listDefinitions(lucca: LuccaClient, fields: ScreeningFields): Promise<Map<string, ExtensionDefinition>> {
  const all = await cachedDefinitions(lucca);
  const definitions = new Map<string, ExtensionDefinition>();
  for (const code of [fields.package, fields.reasonCategory, fields.reason, fields.orderStatus]) {
    const definition = all.get(code.toLowerCase());
    if (definition) definitions.set(code.toLowerCase(), definition);
  }
  return definitions;
}

/** The entry id of a list label, matched with accent/case tolerance ("crée" = "créé"). */
export function entryIdForLabel(definition: ExtensionDefinition | undefined, label: string): number | undefined {
  const entries = definition?.extensionUserPropertyListEntries ?? [];
  const match = findMatchingLabel(
    label,
    entries.map((e) => e.name),
  );
  return match === undefined ? undefined : entries.find((e) => e.name === match)?.id;
}

export function toCandidateRecord(user: CanonicalUser, luccaId: number): CandidateRecord {
  return {
    luccaId,
    lastName: toNullableString(user.lastName),
    firstName: toNullableString(user.firstName),
    civility: civilityFromLucca(toNullableString(user.civilTitle), toNullableString(user.gender)),
    language: languageFromCultureId(toNullableInt(user.cultureId ?? (user as Record<string, unknown>).cultureID)),
    professionalEmail: toNullableString(user.mail),
    professionalPhone: toNullableString(user.directLine) ?? toNullableString(user.professionalMobile),
    personalPhone: toNullableString(user.personalMobile),
    birthDate: toIsoDate(user.birthDate) ?? toNullableString(user.birthDate),
    contractStart: toIsoDate(user.dtContractStart) ?? toNullableString(user.dtContractStart),
    jobTitle: toNullableString(user.jobTitle),
  };
}

function first(user: CanonicalUser, code: string): ExtendedValue | undefined {
  return occurrences(readExtendedData(user, code))[0];
}

function listLabel(user: CanonicalUser, code: string, definitions: Map<string, ExtensionDefinition>): string | null {
  const value = first(user, code);
  return value ? interpretValue(definitions.get(code.toLowerCase()), value).text : null;
}

export function toScreeningSection(
  user: CanonicalUser,
  fields: ScreeningFields,
  definitions: Map<string, ExtensionDefinition>,
): ScreeningSection {
  const cv = first(user, fields.cvFile);
  const client = first(user, fields.clientUser);
  const clientRaw = client?.value;
  return {
    packageLabel: listLabel(user, fields.package, definitions),
    reasonCategoryLabel: listLabel(user, fields.reasonCategory, definitions),
    reasonLabel: listLabel(user, fields.reason, definitions),
    costCenter: toNullableString(first(user, fields.costCenter)?.value),
    cvFileId: fileIdOf(cv?.value),
    otherFileIds: occurrences(readExtendedData(user, fields.otherFiles))
      .map((v) => fileIdOf(v.value))
      .filter((v): v is string => v !== null),
    clientUserId: toNullableInt(clientRaw && typeof clientRaw === 'object' ? (clientRaw as { id?: unknown }).id : clientRaw),
    orderStatusLabel: listLabel(user, fields.orderStatus, definitions),
  };
}

/** The order-status value of a user: value id (what the order is keyed on) and list entry id. */
export function orderStatusOf(user: CanonicalUser, code: string): { valueId: number | null; entryId: number | null } {
  const value = first(user, code);
  if (!value) return { valueId: null, entryId: null };
  return { valueId: typeof value.id === 'number' && value.id > 0 ? value.id : null, entryId: toNullableInt(value.value) };
}
