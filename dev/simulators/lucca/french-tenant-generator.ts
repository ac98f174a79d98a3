import type { LuccaDialect } from './lucca-dialect';
import { SeededRandom } from '../simulator-kit/seeded-random';
import { tinyPdf } from '../simulator-kit/tiny-pdf';
import { addDays } from './lucca-dates';
import {
  CEO_TITLE,
  DEPARTMENTS,
  FEMALE_FIRST_NAMES,
  LAST_NAMES,
  MALE_FIRST_NAMES,
  ORDER_STATUSES,
  SCREENING_PACKAGES,
  SCREENING_REASON_CATEGORIES,
  SCREENING_REASONS,
} from './french-hr-vocabulary';
import { LuccaTenantStore, type Gender, type LuccaUser } from './lucca-tenant-store';

export interface GenerateLuccaTenantOptions {
  tenantId: string;
  /** GUID; registered with every permission. */
  apiKey: string;
  apiKeyName?: string;
  employees: number;
  seed: number;
  /** "YYYY-MM-DD"; the generated population is relative to it. Default '2026-11-20'. */
  today?: string;
  /** Share with a past dtContractEnd. Default 0.05. */
  formerRatio?: number;
  /** Share with a future dtContractStart. Default 0.02. */
  futureRatio?: number;
  /** Share with `e_skip_elevo_sync` ticked. Default 0.03. */
  skipElevoRatio?: number;
  /** Share with a Background check section. Default 0.02 (at least one per state when employees ≥ 20). */
  screeningRatio?: number;
  idCasing?: 'doc' | 'upper';
  /** Where Lucca's docs leave room (default: the documented answers). */
  dialect?: LuccaDialect;
  /**
   * Store clock. Default: starts at `today` 09:00 Paris and advances with real time, so status
   * (former/future) never drifts with the calendar and modifiedAt still increases on updates.
   */
  now?: () => Date;
}

/** Screening states present in a generated tenant (who is in which state: `screeningStateOf`). */
export type ScreeningState = 'complete-to-order' | 'incomplete-to-order' | 'already-created' | 'no-status';
const SCREENING_STATES: ScreeningState[] = ['complete-to-order', 'incomplete-to-order', 'already-created', 'no-status'];

/** The codes every generated tenant defines. */
export const GENERATED_CODES = {
  skipElevoSync: 'e_skip_elevo_sync',
  costCenter: 'e_cost_center',
  screeningPackage: 'e_screening_package',
  screeningReasonCategory: 'e_screening_reason_category',
  screeningReason: 'e_screening_reason',
  cvFile: 'e_candidate_cv_file',
  otherFiles: 'e_candidate_other_files',
  clientUsername: 'e_client_username',
  orderStatus: 'e_order_status',
} as const;

/** Lower case, accents folded, spaces/apostrophes → '-' : "Da Silva" → "da-silva", "Éloïse" → "eloise". */
export function foldForEmail(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function capitalise(id: string): string {
  return id.charAt(0).toUpperCase() + id.slice(1);
}

function frenchPhone(rng: SeededRandom, prefix: string): string {
  const digits = [prefix, ...Array.from({ length: 4 }, () => String(rng.int(0, 99)).padStart(2, '0'))];
  // Real HR data mixes formats; clients must not assume one.
  switch (rng.int(0, 3)) {
    case 0:
      return digits.join(' ');
    case 1:
      return digits.join('');
    case 2:
      return `+33 ${digits[0]!.slice(1)} ${digits.slice(1).join(' ')}`;
    default:
      return digits.join('.');
  }
}

/**
 * A Paris wall-clock time on `day`. On the anchor day itself, before the store's clock starts (09:00 Paris):
 * Lucca never stamps a change in the future, and a future `modifiedAt` would look changed at every poll.
 * One random draw either way, so the rest of the generation is unchanged.
 */
function naiveDateTime(day: string, rng: SeededRandom, today: string): string {
  const hour = rng.int(7, 19);
  const hh = String(day >= today ? 7 + (hour % 2) : hour).padStart(2, '0');
  const mm = String(rng.int(0, 59)).padStart(2, '0');
  const ss = String(rng.int(0, 59)).padStart(2, '0');
  const ms = String(rng.int(0, 999)).padStart(3, '0');
  return `${day}T${hh}:${mm}:${ss}.${ms}`;
}

/** Clock anchored at `today` 09:00 Paris (08:00 UTC in winter is close enough), advancing in real time. */
function anchoredClock(today: string): () => Date {
  const anchor = Date.parse(`${today}T08:00:00Z`);
  const startedAt = Date.now();
  return () => new Date(anchor + (Date.now() - startedAt));
}

/** What the generation steps share: the store being filled, the seeded random source, the day. */
interface Generation {
  store: LuccaTenantStore;
  rng: SeededRandom;
  today: string;
  company: string;
  domain: string;
}

type DepartmentRef = { spec: (typeof DEPARTMENTS)[number]; dep: { id: number } };
type EmploymentStatus = 'current' | 'former' | 'future';

/**
 * Generates one realistic French Lucca domain, deterministically for a seed: one hierarchy under a
 * single CEO, managers always current employees, unique emails and employee numbers, some former
 * employees and future hires, Elevo exclusions, and Background check sections in every state.
 * (Each step draws from the one seeded source in a fixed order: reordering steps changes the data.)
 */
export function generateLuccaTenant(opts: GenerateLuccaTenantOptions): LuccaTenantStore {
  const today = opts.today ?? '2026-11-20';
  const company = capitalise(opts.tenantId);
  const store = new LuccaTenantStore({
    idCasing: opts.idCasing ?? opts.dialect?.idCasing ?? 'doc',
    ...(opts.dialect ? { dialect: opts.dialect } : {}),
    now: opts.now ?? anchoredClock(today),
    companyName: company,
  });
  store.addApiKey(opts.apiKey, opts.apiKeyName ?? 'Connecteurs lucca-connectors');
  const g: Generation = { store, rng: new SeededRandom(opts.seed), today, company, domain: `${foldForEmail(opts.tenantId)}.example.fr` };
  const { legalEntities, departments } = addReferenceData(g);
  if (opts.employees < 1) return store;
  const people = new PeopleMaker(g, legalEntities);
  const ceo = addHierarchy(g, people, departments, opts);
  addExtendedData(g, people.users, departments, ceo, opts.skipElevoRatio ?? 0.03);
  addScreeningSections(g, people.users, departments, ceo, opts);
  return store;
}

function addReferenceData({ store, company }: Generation): { legalEntities: Array<{ id: number }>; departments: DepartmentRef[] } {
  const legalEntities = [store.addLegalEntity(`${company} SAS`, 1), store.addLegalEntity(`${company} Services SARL`, 2)];
  const departments = DEPARTMENTS.map((spec, i) => ({ spec, dep: store.addDepartment(spec.name, 11 + i * 3) }));
  store.addDefinition({
    code: GENERATED_CODES.skipElevoSync,
    name: 'Ne pas synchroniser avec Elevo',
    formatKey: 'boolean',
    section: 'Elevo',
  });
  store.addDefinition({ code: GENERATED_CODES.costCenter, name: 'Centre de coûts', formatKey: 'text', section: 'Background check' });
  store.addDefinition({
    code: GENERATED_CODES.screeningPackage,
    name: 'Package de vérification',
    formatKey: 'list',
    entries: SCREENING_PACKAGES,
    section: 'Background check',
  });
  store.addDefinition({
    code: GENERATED_CODES.screeningReasonCategory,
    name: 'Catégorie de motif',
    formatKey: 'list',
    entries: SCREENING_REASON_CATEGORIES,
    section: 'Background check',
  });
  store.addDefinition({
    code: GENERATED_CODES.screeningReason,
    name: 'Motif de la vérification',
    formatKey: 'list',
    entries: SCREENING_REASONS,
    section: 'Background check',
  });
  store.addDefinition({ code: GENERATED_CODES.cvFile, name: 'CV du candidat', formatKey: 'file', section: 'Background check' });
  store.addDefinition({
    code: GENERATED_CODES.otherFiles,
    name: 'Autres documents du candidat',
    formatKey: 'file',
    isMultiple: true,
    section: 'Background check',
  });
  store.addDefinition({ code: GENERATED_CODES.clientUsername, name: 'Demandeur', formatKey: 'user', section: 'Background check' });
  store.addDefinition({
    code: GENERATED_CODES.orderStatus,
    name: 'Statut de la commande',
    formatKey: 'list',
    entries: [ORDER_STATUSES.toOrder, ORDER_STATUSES.created],
    section: 'Background check',
  });
  return { legalEntities, departments };
}

/** Makes employees with unique emails, increasing ids and employee numbers. */
class PeopleMaker {
  readonly users: LuccaUser[] = [];
  private readonly usedLocals = new Set<string>();
  private nextId: number;
  private nextNumber: number;

  constructor(
    private readonly g: Generation,
    private readonly legalEntities: Array<{ id: number }>,
  ) {
    this.nextId = 400 + g.rng.int(1, 99);
    this.nextNumber = g.rng.int(10, 60);
  }

  make(index: number, departmentId: number, jobTitle: string, status: EmploymentStatus, managerId: number | null): LuccaUser {
    const { rng, today, store, domain } = this.g;
    const female = rng.chance(0.5);
    const firstName = rng.pick(female ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    const local = this.uniqueLocal(`${foldForEmail(firstName)}.${foldForEmail(lastName)}`);
    const undefinedGender = rng.chance(0.01);
    const gender: Gender = undefinedGender ? 'Undefined' : female ? 'Female' : 'Male';
    const age = rng.int(20, 64);
    const birthDate = addDays(today, -(age * 365 + rng.int(0, 364)));
    const { dtContractStart, dtContractEnd } = this.contract(index, status);
    const modifiedDay = status === 'future' ? addDays(today, -rng.int(0, 30)) : addDays(today, -rng.int(0, 400));
    const user = store.addUser({
      id: this.nextId,
      firstName,
      lastName,
      mail: `${local}@${domain}`,
      personalEmail: rng.chance(0.7) ? `${local.replace('.', '_')}${rng.int(1, 99)}@perso.example.net` : null,
      login: local,
      employeeNumber: String(this.nextNumber).padStart(5, '0'),
      jobTitle,
      managerId,
      departmentId,
      legalEntityId: rng.chance(0.85) ? this.legalEntities[0]!.id : this.legalEntities[1]!.id,
      dtContractStart,
      dtContractEnd,
      birthDate,
      civilTitle: undefinedGender ? null : female ? 'Mrs' : 'Mr',
      gender,
      cultureID: rng.weighted([1036, 1033, 1031], [90, 8, 2]),
      directLine: rng.chance(0.4) ? frenchPhone(rng, rng.pick(['01', '02', '03', '04', '05', '09'])) : null,
      professionalMobile: rng.chance(0.6) ? frenchPhone(rng, rng.pick(['06', '07'])) : null,
      personalMobile: rng.chance(0.7) ? frenchPhone(rng, rng.pick(['06', '07'])) : null,
      modifiedAt: naiveDateTime(modifiedDay < dtContractStart && status !== 'future' ? dtContractStart : modifiedDay, rng, today),
    });
    this.nextId += rng.chance(0.1) ? rng.int(2, 5) : 1;
    this.nextNumber += rng.chance(0.05) ? 2 : 1;
    this.users.push(user);
    return user;
  }

  private uniqueLocal(base: string): string {
    let local = base;
    for (let n = 2; this.usedLocals.has(local); n++) local = `${base}${n}`;
    this.usedLocals.add(local);
    return local;
  }

  private contract(index: number, status: EmploymentStatus): { dtContractStart: string; dtContractEnd: string | null } {
    const { rng, today } = this.g;
    if (status === 'future') return { dtContractStart: addDays(today, rng.int(1, 75)), dtContractEnd: null };
    if (status === 'former') {
      const dtContractStart = addDays(today, -rng.int(200, 4000));
      return { dtContractStart, dtContractEnd: addDays(today, -rng.int(1, 180)) };
    }
    const dtContractStart = addDays(today, -rng.int(index === 0 ? 3000 : 10, 6500));
    // A few current employees already have a known end date (fixed-term contracts).
    const dtContractEnd = index > DEPARTMENTS.length && rng.chance(0.02) ? addDays(today, rng.int(0, 200)) : null;
    return { dtContractStart, dtContractEnd };
  }
}

/** A CEO, department heads reporting to them, then everyone else under a current manager of their department. */
function addHierarchy({ rng }: Generation, people: PeopleMaker, departments: DepartmentRef[], opts: GenerateLuccaTenantOptions): LuccaUser {
  const formerRatio = opts.formerRatio ?? 0.05;
  const futureRatio = opts.futureRatio ?? 0.02;
  const users = people.users;
  /** Per department: current employees who may manage others (head first). */
  const managerPools = new Map<number, LuccaUser[]>();
  const dg = departments[0]!;
  const ceo = people.make(0, dg.dep.id, CEO_TITLE, 'current', null);
  managerPools.set(dg.dep.id, [ceo]);
  // Department heads report to the CEO (as many as the size allows).
  for (const { spec, dep } of departments.slice(1)) {
    if (users.length >= opts.employees) break;
    const head = people.make(users.length, dep.id, spec.headTitle, 'current', ceo.id);
    managerPools.set(dep.id, [head]);
  }
  const weights = departments.map((d) => d.spec.weight);
  while (users.length < opts.employees) {
    const { spec, dep } = rng.weighted(departments, weights);
    const pool = managerPools.get(dep.id) ?? managerPools.get(dg.dep.id)!;
    const roll = rng.next();
    const status = roll < formerRatio ? 'former' : roll < formerRatio + futureRatio ? 'future' : 'current';
    // Team leads are near the top of the pool; spread reports without deep chains.
    const manager = pool[Math.min(pool.length - 1, Math.floor(rng.next() * rng.next() * pool.length))]!;
    const user = people.make(users.length, dep.id, rng.pick(spec.titles), status, manager.id);
    if (status === 'current' && user.dtContractEnd === null && rng.chance(0.12)) pool.push(user);
  }
  return ceo;
}

function addExtendedData(
  { store, rng }: Generation,
  users: LuccaUser[],
  departments: DepartmentRef[],
  ceo: LuccaUser,
  skipRatio: number,
): void {
  for (const user of users) {
    const dep = departments.find((d) => d.dep.id === user.departmentId)!;
    if (rng.chance(0.92)) {
      store.setExtendedValue(user.id, GENERATED_CODES.costCenter, `CC-${dep.spec.code}-${String(rng.int(100, 140))}`, { touch: false });
    }
    if (user.id !== ceo.id && rng.chance(skipRatio)) store.setExtendedValue(user.id, GENERATED_CODES.skipElevoSync, true, { touch: false });
    // An unticked checkbox that was once ticked is stored as false: clients must read the value.
    else if (rng.chance(0.05)) store.setExtendedValue(user.id, GENERATED_CODES.skipElevoSync, false, { touch: false });
  }
}

/** Background check sections: candidates are recent or future hires, one state after the other. */
function addScreeningSections(
  { store, rng, today }: Generation,
  users: LuccaUser[],
  departments: DepartmentRef[],
  ceo: LuccaUser,
  opts: GenerateLuccaTenantOptions,
): void {
  const candidates = rng.shuffle(users.filter((u) => u.id !== ceo.id && store.statusOf(u, today) !== 'former'));
  let screeningCount = Math.round(opts.employees * (opts.screeningRatio ?? 0.02));
  if (opts.employees >= 20) screeningCount = Math.max(screeningCount, SCREENING_STATES.length);
  const requesters = users.filter((u) => u.departmentId === departments[2]!.dep.id && store.statusOf(u, today) === 'current');
  candidates.slice(0, screeningCount).forEach((candidate, i) => {
    const state = SCREENING_STATES[i % SCREENING_STATES.length]!;
    fillScreeningSection(store, rng, candidate, state, requesters.length > 0 ? rng.pick(requesters) : ceo);
  });
}

function fillScreeningSection(
  store: LuccaTenantStore,
  rng: SeededRandom,
  candidate: LuccaUser,
  state: ScreeningState,
  requester: LuccaUser,
): void {
  const set = (code: string, value: string | number | boolean | Array<string | number>) =>
    store.setExtendedValue(candidate.id, code, value, { touch: false });
  const missing =
    state === 'incomplete-to-order' ? rng.pick([GENERATED_CODES.screeningPackage, GENERATED_CODES.screeningReason]) : undefined;
  const category = candidate.jobTitle?.includes('Consultant') ? SCREENING_REASON_CATEGORIES[1]! : rng.pick(SCREENING_REASON_CATEGORIES);
  if (missing !== GENERATED_CODES.screeningPackage) {
    set(
      GENERATED_CODES.screeningPackage,
      category === SCREENING_REASON_CATEGORIES[1] ? SCREENING_PACKAGES[0]! : rng.pick(SCREENING_PACKAGES.slice(1)),
    );
  }
  set(GENERATED_CODES.screeningReasonCategory, category);
  if (missing !== GENERATED_CODES.screeningReason) set(GENERATED_CODES.screeningReason, rng.pick(SCREENING_REASONS));
  if (store.getExtendedValue(candidate.id, GENERATED_CODES.costCenter) === undefined) set(GENERATED_CODES.costCenter, 'CC-RH-100');
  // File names carry the user id, not the name: these bytes may end up in logs of a failing test.
  const cv = store.addFile(tinyPdf(`CV - user ${candidate.id}`), `cv-${candidate.id}.pdf`, 'application/pdf', rng.guid());
  set(GENERATED_CODES.cvFile, cv);
  const others = Array.from({ length: rng.int(0, 2) }, (_, k) =>
    store.addFile(tinyPdf(`Document ${k + 1} - user ${candidate.id}`), `piece-${candidate.id}-${k + 1}.pdf`, 'application/pdf', rng.guid()),
  );
  if (others.length > 0) set(GENERATED_CODES.otherFiles, others);
  set(GENERATED_CODES.clientUsername, requester.id);
  if (state === 'complete-to-order' || state === 'incomplete-to-order') set(GENERATED_CODES.orderStatus, ORDER_STATUSES.toOrder);
  if (state === 'already-created') set(GENERATED_CODES.orderStatus, ORDER_STATUSES.created);
}

/** Which Background check state a user is in, read back from the store (for tests and demos). */
export function screeningStateOf(store: LuccaTenantStore, userId: number): ScreeningState | null {
  const status = store.getExtendedValue(userId, GENERATED_CODES.orderStatus);
  const hasSection = store.getExtendedValue(userId, GENERATED_CODES.screeningReasonCategory) !== undefined;
  if (!hasSection) return null;
  if (!status || Array.isArray(status)) return 'no-status';
  if (status.value === store.listEntryIdByLabel(GENERATED_CODES.orderStatus, ORDER_STATUSES.created)) return 'already-created';
  const complete =
    store.getExtendedValue(userId, GENERATED_CODES.screeningPackage) !== undefined &&
    store.getExtendedValue(userId, GENERATED_CODES.screeningReason) !== undefined;
  return complete ? 'complete-to-order' : 'incomplete-to-order';
}
