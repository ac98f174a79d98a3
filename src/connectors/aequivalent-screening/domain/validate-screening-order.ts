import type { DossierRequest } from '../aequivalent/schemas';
import type { CandidateRecord } from './candidate-record';
import type { ScreeningListLabels, ScreeningSection } from './screening-section';
import { findMatchingLabel } from './status-label';

export type ScreeningProblemCode =
  | 'missing_package'
  | 'unknown_package'
  | 'missing_reason_category'
  | 'unknown_reason_category'
  | 'missing_reason'
  | 'unknown_reason'
  | 'missing_last_name'
  | 'missing_first_name'
  | 'missing_contact'
  | 'invalid_email'
  | 'invalid_birth_date'
  | 'invalid_contract_start';

/** One reason per problem; `field` is the logical field (the tenant's Lucca code is mapped by the caller). */
export interface ScreeningProblem {
  code: ScreeningProblemCode;
  field: string;
  /** For an HR admin; never contains personal data (list labels are not personal data). */
  message: string;
}

export type ScreeningValidation = { ok: true; order: DossierRequest } | { ok: false; problems: ScreeningProblem[] };

export interface ScreeningValidationContext {
  /** Our order id, sent as `externalReference`. */
  externalReference: string;
  labels: ScreeningListLabels;
}

/** Checks the data read from Lucca for one order and, when complete, builds the dossier request. */
export function validateScreeningOrder(
  candidate: CandidateRecord,
  section: ScreeningSection,
  context: ScreeningValidationContext,
): ScreeningValidation {
  const problems: ScreeningProblem[] = [];
  const add: AddProblem = (code, field, message) => problems.push({ code, field, message });

  const { pkg, category, reason } = checkListValues(section, context.labels, add);

  const lastName = clean(candidate.lastName);
  const firstName = clean(candidate.firstName);
  if (!lastName) add('missing_last_name', 'lastName', 'The employee has no last name in Lucca.');
  if (!firstName) add('missing_first_name', 'firstName', 'The employee has no first name in Lucca.');

  const contact = checkContact(candidate, add);

  const birthDate = checkDate(candidate.birthDate, 'birthDate', 'birth date', 'invalid_birth_date', add);
  const contractStart = checkDate(candidate.contractStart, 'contractStart', 'contract start date', 'invalid_contract_start', add);

  if (problems.length > 0 || !pkg || !category || !reason || !lastName || !firstName) return { ok: false, problems };

  const clientUserName = clean(section.clientUserName ?? null);
  const person = { civility: candidate.civility, firstName, lastName, language: candidate.language, ...contact };
  return {
    ok: true,
    order: {
      externalReference: context.externalReference,
      package: pkg,
      reasonCategory: category,
      reason,
      costCenter: clean(section.costCenter),
      candidate: { ...person, birthDate, contractStart, jobTitle: clean(candidate.jobTitle) },
      clientUser:
        section.clientUserId === null ? null : { luccaId: section.clientUserId, ...(clientUserName ? { name: clientUserName } : {}) },
    },
  };
}

type AddProblem = (code: ScreeningProblemCode, field: string, message: string) => void;

/** The three list values of the Background check section, as the labels Aequivalent knows. */
function checkListValues(section: ScreeningSection, labels: ScreeningListLabels, add: AddProblem) {
  return {
    pkg: checkListValue(
      section.packageLabel,
      labels.packages,
      'package',
      'screening package (programme)',
      add,
      'missing_package',
      'unknown_package',
    ),
    category: checkListValue(
      section.reasonCategoryLabel,
      labels.reasonCategories,
      'reasonCategory',
      'dossier type (reason category)',
      add,
      'missing_reason_category',
      'unknown_reason_category',
    ),
    reason: checkListValue(section.reasonLabel, labels.reasons, 'reason', 'screening reason', add, 'missing_reason', 'unknown_reason'),
  };
}

/** The ways Aequivalent can reach the candidate: an invalid email is reported and dropped, no way at all is reported. */
function checkContact(
  candidate: CandidateRecord,
  add: AddProblem,
): { email: string | null; professionalPhone: string | null; personalPhone: string | null } {
  const email = clean(candidate.professionalEmail);
  const professionalPhone = clean(candidate.professionalPhone);
  const personalPhone = clean(candidate.personalPhone);
  if (email && !EMAIL.test(email)) {
    add('invalid_email', 'professionalEmail', 'The professional email in Lucca is not a valid email address.');
    return { email: null, professionalPhone, personalPhone };
  }
  if (!email && !professionalPhone && !personalPhone) {
    add(
      'missing_contact',
      'contact',
      'Aequivalent cannot contact the candidate: the employee has neither a professional email nor a phone number in Lucca.',
    );
  }
  return { email, professionalPhone, personalPhone };
}

// Deliberately loose: Aequivalent validates deliverability; we only catch obvious typos.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function clean(value: string | null | undefined): string | null {
  const trimmed = (value ?? '').replace(/\s+/g, ' ').trim();
  return trimmed.length > 0 ? trimmed : null;
}

function checkListValue(
  value: string | null,
  known: readonly string[] | undefined,
  field: string,
  what: string,
  add: (code: ScreeningProblemCode, field: string, message: string) => void,
  missingCode: ScreeningProblemCode,
  unknownCode: ScreeningProblemCode,
): string | null {
  const label = clean(value);
  if (!label) {
    add(missingCode, field, `The ${what} is not filled in the Background check section.`);
    return null;
  }
  if (!known || known.length === 0) return label;
  const canonical = findMatchingLabel(label, known);
  if (!canonical) {
    add(unknownCode, field, `The ${what} "${label.slice(0, 80)}" is not one of the values Aequivalent knows (${known.join(', ')}).`);
    return null;
  }
  return canonical;
}

/** Lucca sends naive date-times ("1989-12-22T00:00:00"); Aequivalent wants the calendar day. */
function checkDate(
  value: string | null,
  field: string,
  what: string,
  code: ScreeningProblemCode,
  add: (code: ScreeningProblemCode, field: string, message: string) => void,
): string | null {
  const raw = clean(value);
  if (!raw) return null; // optional for Aequivalent
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(raw);
  if (match) {
    const [, y, m, d] = match;
    const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
    if (date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d))
      return `${y}-${m}-${d}`;
  }
  add(code, field, `The ${what} in Lucca is not a valid date.`);
  return null;
}
