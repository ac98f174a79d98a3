/**
 * Types of the Elevo user sync plan: what Lucca says (source), what Elevo has (target), and the
 * ordered actions that bring Elevo in line. Pure data: no I/O, safe to put in workflow payloads.
 */

/** One Lucca employee, already mapped from the Lucca API (dates as YYYY-MM-DD, list values as labels). */
export interface SourceEmployee {
  luccaId: number;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  employeeNumber: string | null;
  jobTitle: string | null;
  managerLuccaId: number | null;
  department: string | null;
  /** YYYY-MM-DD */
  contractStart: string | null;
  /** YYYY-MM-DD, last day of the contract (inclusive). */
  contractEnd: string | null;
  /** The tenant's exclusion checkbox (`e_skip_elevo_sync` by default) is ticked. */
  excluded: boolean;
  /** Elevo custom field key -> text value read from the configured Lucca field path. */
  extraFields: Record<string, string | null>;
}

/** One Elevo user as listed by the provisioning API: the synced attributes plus identity and state. */
export interface TargetUser extends ElevoSyncedAttributes {
  elevoId: string;
  externalId: string | null;
  status: 'active' | 'suspended';
  lockedAttributes: string[];
}

export type ExclusionPolicy = 'release' | 'suspend';

export interface PlanOptions {
  /** YYYY-MM-DD in the tenant's time zone. */
  today: string;
  /** What happens to a synced user whose exclusion box gets ticked. */
  exclusionPolicy: ExclusionPolicy;
  /** Elevo custom text field keys synced for this tenant (config `elevo.extraFields` keys). */
  extraFieldKeys: string[];
}

/** The attributes the sync writes, as the Elevo API names them. */
export interface ElevoSyncedAttributes {
  email: string;
  registrationNumber: string | null;
  firstName: string | null;
  lastName: string | null;
  jobTitle: string | null;
  managerExternalId: string | null;
  department: string | null;
  workStartDate: string | null;
  customFields: Record<string, string | null>;
}

/** Attributes of a user to create: synced attributes + identity + lock. */
export interface ElevoCreateAttributes extends ElevoSyncedAttributes {
  externalId: string;
  lockedAttributes: string[];
}

/** `firstName`, `managerExternalId`, ... or `customFields.<key>`. */
export type SyncedField = Exclude<keyof ElevoSyncedAttributes, 'customFields'> | `customFields.${string}`;

export interface FieldChange {
  field: SyncedField;
  before: string | null;
  after: string | null;
}

/** Why a report's manager could not be set (the report is still written, manager-less). */
export type ManagerIssue = 'manager-excluded' | 'manager-missing' | 'manager-cycle' | 'manager-not-synced';

export type SkipReason =
  | 'excluded'
  | 'invalid-record'
  | 'missing-email'
  | 'duplicate-email'
  | 'adoption-conflict'
  | 'not-yet-started'
  /** A rename to an email that another Elevo user already holds (Elevo would answer 409). */
  | 'email-taken'
  /** The contract ends before it starts: Lucca lists the person as former, so no account is created. */
  | 'contradictory-contract';

export type SuspendReason = 'contract-ended' | 'gone-from-source' | 'excluded';

interface ActionBase {
  /** Absent only for Elevo users whose Lucca employee is gone. */
  luccaId?: number;
}

interface ManagerNote {
  managerIssue?: ManagerIssue;
  /** The Lucca manager id that could not be set, for the report. */
  managerLuccaId?: number;
}

export interface CreateAction extends ActionBase, ManagerNote {
  kind: 'create';
  reason: 'new-employee';
  luccaId: number;
  attributes: ElevoCreateAttributes;
}

export interface UpdateAction extends ActionBase, ManagerNote {
  kind: 'update';
  /** `exclusion-removed`: a released user is managed again; `lock-changed`: only the lock list differs. */
  reason: 'attributes-changed' | 'exclusion-removed' | 'lock-changed';
  luccaId: number;
  elevoId: string;
  changes: FieldChange[];
  /** Set when the lock list must be (re)written. */
  lockedAttributes?: string[];
}

export interface AdoptAction extends ActionBase, ManagerNote {
  kind: 'adopt';
  reason: 'existing-elevo-user';
  matchedBy: 'email' | 'registrationNumber';
  luccaId: number;
  elevoId: string;
  externalId: string;
  lockedAttributes: string[];
  changes: FieldChange[];
  /** The matched Elevo user is suspended and the employee is active: reactivate after adopting. */
  reactivate: boolean;
}

export interface SuspendAction extends ActionBase {
  kind: 'suspend';
  reason: SuspendReason;
  elevoId: string;
}

export interface ReactivateAction extends ActionBase, ManagerNote {
  kind: 'reactivate';
  reason: 'rehired' | 'exclusion-removed';
  luccaId: number;
  elevoId: string;
  /** Applied (with the lock) before reactivating. */
  changes: FieldChange[];
  lockedAttributes?: string[];
}

export interface ReleaseAction extends ActionBase {
  kind: 'release';
  reason: 'excluded';
  luccaId: number;
  elevoId: string;
}

export interface SkipAction extends ActionBase {
  kind: 'skip';
  reason: SkipReason;
  /** Data-free detail: e.g. `missing-last-name`, `malformed-email`, `elevo:<id>`, a start date. */
  detail?: string;
  /** The Elevo user concerned, when there is one. */
  elevoId?: string;
}

export type SyncAction = CreateAction | UpdateAction | AdoptAction | SuspendAction | ReactivateAction | ReleaseAction | SkipAction;
export type ActionKind = SyncAction['kind'];
/** Actions that write to Elevo. */
export type WriteAction = Exclude<SyncAction, SkipAction>;

export interface SyncPlanCounts {
  create: number;
  update: number;
  adopt: number;
  suspend: number;
  reactivate: number;
  release: number;
  skip: number;
  /** Synced employees already up to date (not listed one by one). */
  noop: number;
  /** Elevo users the sync does not manage and leaves alone (not listed). */
  unmanaged: number;
}

export interface SyncPlan {
  /** Writes in a safe order (managers before reports, suspensions last), then skips. */
  actions: SyncAction[];
  counts: SyncPlanCounts;
  sourceCount: number;
  targetCount: number;
}
