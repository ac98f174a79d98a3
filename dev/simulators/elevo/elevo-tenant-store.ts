import {
  isLockableAttribute,
  type ElevoAdminEditInput,
  type ElevoCreateUserInput,
  type ElevoErrorCode,
  type ElevoUpdateUserInput,
  type ElevoUser,
} from '../../../src/connectors/elevo-user-sync/elevo/schemas';

/** A refusal in the contract's terms; the HTTP layer turns it into `{ error, message }`. */
export class ElevoApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ElevoErrorCode,
    message: string,
    readonly attributes?: string[],
  ) {
    super(message);
    this.name = 'ElevoApiError';
  }
}

export type ElevoWriteKind = 'create' | 'update' | 'suspend' | 'reactivate' | 'release' | 'adminEdit';

export interface ElevoTenantStats {
  requests: number;
  rateLimited: number;
  writes: Record<ElevoWriteKind, number>;
}

export const emptyStats = (): ElevoTenantStats => ({
  requests: 0,
  rateLimited: 0,
  writes: { create: 0, update: 0, suspend: 0, reactivate: 0, release: 0, adminEdit: 0 },
});

const lower = (s: string) => s.trim().toLowerCase();

/**
 * One Elevo account's users, in creation order (the stable list order). Enforces the contract's
 * rules: unique email among all users, unique external id, managers by external id, locks.
 */
export class ElevoTenantStore {
  private readonly users = new Map<string, ElevoUser>();
  private readonly idempotency = new Map<string, string>();
  private sequence = 0;
  stats: ElevoTenantStats = emptyStats();
  /** Refusal mode (tests): every write concerning these external ids is refused for good. */
  readonly refusals = new Map<string, { status: 409 | 422; code: ElevoErrorCode }>();

  constructor(
    readonly tenantId: string,
    public token: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  list(filter: { externalId?: string; email?: string } = {}): ElevoUser[] {
    let all = [...this.users.values()];
    if (filter.externalId !== undefined) all = all.filter((u) => u.externalId === filter.externalId);
    if (filter.email !== undefined) all = all.filter((u) => lower(u.email) === lower(filter.email!));
    return all;
  }

  get(id: string): ElevoUser {
    const user = this.users.get(id);
    if (!user) throw new ElevoApiError(404, 'not_found', `no user ${id}`);
    return user;
  }

  /** Returns the user and whether it was created now (false = idempotent replay). */
  create(input: ElevoCreateUserInput, idempotencyKey?: string): { user: ElevoUser; created: boolean } {
    if (idempotencyKey) {
      const existing = this.idempotency.get(idempotencyKey);
      if (existing) return { user: this.get(existing), created: false };
    }
    this.checkRefusal(input.externalId ?? null);
    this.checkEmail(input.email);
    if (input.externalId) this.checkExternalId(input.externalId);
    this.checkManager(input.managerExternalId ?? null, input.externalId ?? null);
    this.checkLockNames(input.lockedAttributes);
    const at = this.now().toISOString();
    this.sequence += 1;
    const user: ElevoUser = {
      id: `usr_${String(this.sequence).padStart(6, '0')}`,
      externalId: input.externalId ?? null,
      email: input.email.trim(),
      registrationNumber: input.registrationNumber ?? null,
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      jobTitle: input.jobTitle ?? null,
      managerExternalId: input.managerExternalId ?? null,
      department: input.department ?? null,
      workStartDate: input.workStartDate ?? null,
      customFields: { ...(input.customFields ?? {}) },
      status: 'active',
      lockedAttributes: [...(input.lockedAttributes ?? [])],
      createdAt: at,
      updatedAt: at,
    };
    this.users.set(user.id, user);
    if (idempotencyKey) this.idempotency.set(idempotencyKey, user.id);
    return { user, created: true };
  }

  update(id: string, patch: ElevoUpdateUserInput): ElevoUser {
    const user = this.get(id);
    this.checkRefusal(patch.externalId ?? user.externalId);
    if (patch.email !== undefined) this.checkEmail(patch.email, id);
    if (patch.externalId) this.checkExternalId(patch.externalId, id);
    if (patch.managerExternalId !== undefined) this.checkManager(patch.managerExternalId, patch.externalId ?? user.externalId);
    this.checkLockNames(patch.lockedAttributes);
    return this.apply(user, patch);
  }

  /** What an admin does in the Elevo UI: refused on locked attributes. */
  adminEdit(id: string, patch: ElevoAdminEditInput): ElevoUser {
    const user = this.get(id);
    const touched = Object.keys(patch).flatMap((k) =>
      k === 'customFields' ? Object.keys(patch.customFields ?? {}).map((f) => `customFields.${f}`) : [k],
    );
    const locked = touched.filter((a) => user.lockedAttributes.includes(a));
    if (locked.length > 0)
      throw new ElevoApiError(
        423,
        'attribute_locked',
        'these attributes are managed by the HRIS sync and cannot be edited in Elevo',
        locked,
      );
    if (patch.email !== undefined) this.checkEmail(patch.email, id);
    if (patch.managerExternalId !== undefined) this.checkManager(patch.managerExternalId, user.externalId);
    return this.apply(user, patch);
  }

  setStatus(id: string, status: ElevoUser['status']): ElevoUser {
    const user = this.get(id);
    this.checkRefusal(user.externalId);
    if (user.status === status) return user; // idempotent: a retried suspend is not an error
    return this.replace({ ...user, status });
  }

  /** Stop managing: the sync lets go, the user keeps its status and data. */
  release(id: string): ElevoUser {
    this.checkRefusal(this.get(id).externalId);
    return this.replace({ ...this.get(id), lockedAttributes: [] });
  }

  private checkRefusal(externalId: string | null): void {
    const refusal = externalId === null ? undefined : this.refusals.get(externalId);
    if (refusal) throw new ElevoApiError(refusal.status, refusal.code, 'this write is refused (sandbox refusal mode)');
  }

  /** Test seeding: inserts a user as-is (defaults for what is missing), bypassing the API rules. */
  seed(partial: Partial<ElevoUser> & { email: string }): ElevoUser {
    const { user } = this.create({ email: partial.email });
    return this.replace({ ...user, ...partial, id: partial.id ?? user.id, customFields: { ...(partial.customFields ?? {}) } }, user.id);
  }

  private apply(user: ElevoUser, patch: ElevoUpdateUserInput): ElevoUser {
    const { customFields, ...rest } = patch;
    const next: ElevoUser = { ...user };
    for (const [k, v] of Object.entries(rest))
      if (v !== undefined) (next as Record<string, unknown>)[k] = typeof v === 'string' && k === 'email' ? v.trim() : v;
    if (customFields) {
      next.customFields = { ...user.customFields };
      for (const [k, v] of Object.entries(customFields)) {
        if (v === null) delete next.customFields[k];
        else next.customFields[k] = v;
      }
    }
    return this.replace(next);
  }

  private replace(user: ElevoUser, previousId: string = user.id): ElevoUser {
    const next = { ...user, updatedAt: this.now().toISOString() };
    if (previousId !== next.id) this.users.delete(previousId);
    this.users.set(next.id, next);
    return next;
  }

  private checkEmail(email: string, exceptId?: string): void {
    // Suspended users keep their email: it stays taken (Elevo suspends, never deletes).
    if (this.list({ email }).some((u) => u.id !== exceptId))
      throw new ElevoApiError(409, 'email_taken', 'another user already has this email');
  }

  private checkExternalId(externalId: string, exceptId?: string): void {
    if (this.list({ externalId }).some((u) => u.id !== exceptId))
      throw new ElevoApiError(409, 'external_id_taken', 'another user already has this external id');
  }

  private checkManager(managerExternalId: string | null, selfExternalId: string | null): void {
    if (managerExternalId === null) return;
    if (managerExternalId === selfExternalId) throw new ElevoApiError(422, 'invalid_request', 'a user cannot be their own manager');
    if (this.list({ externalId: managerExternalId }).length === 0)
      throw new ElevoApiError(422, 'unknown_manager', `no user has external id ${managerExternalId}`);
  }

  private checkLockNames(names: string[] | undefined): void {
    const bad = (names ?? []).filter((n) => !isLockableAttribute(n));
    if (bad.length > 0) throw new ElevoApiError(422, 'invalid_request', `unknown attribute names in lockedAttributes: ${bad.join(', ')}`);
  }
}
