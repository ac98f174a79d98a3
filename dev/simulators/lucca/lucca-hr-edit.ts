import { z } from 'zod';
import type { LuccaTenantStore, LuccaUser } from './lucca-tenant-store';

/**
 * An HR admin editing one employee in Lucca's UI, for tests, the bench and `npm start`
 * (`POST /_sandbox/{tenant}/users/{id}`): plain fields, and `e_` data by code (list values by label,
 * `null` clears). `modifiedAt` moves as Lucca would move it (see `extendedDataMovesModifiedAt`).
 */
export const hrEditSchema = z
  .object({
    set: z
      .object({
        firstName: z.string().min(1),
        lastName: z.string().min(1),
        mail: z.string().nullable(),
        jobTitle: z.string().nullable(),
        employeeNumber: z.string().nullable(),
        managerId: z.number().int().nullable(),
        departmentId: z.number().int().nullable(),
        dtContractStart: z.string().nullable(),
        dtContractEnd: z.string().nullable(),
      })
      .partial()
      .strict()
      .optional(),
    extendedData: z.record(z.string().regex(/^e_[A-Za-z0-9_-]+$/), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  })
  .strict();

export type HrEdit = z.infer<typeof hrEditSchema>;

/** Applies an edit; throws with a data-free message when the user or a code is unknown. */
export function applyHrEdit(store: LuccaTenantStore, userId: number, edit: HrEdit): LuccaUser {
  if (!store.getUser(userId)) throw new Error(`Unknown user ${userId}`);
  if (edit.set && Object.keys(edit.set).length > 0) store.updateUser(userId, edit.set);
  for (const [code, value] of Object.entries(edit.extendedData ?? {})) {
    if (value === null) store.clearExtendedValue(userId, code);
    else store.setExtendedValue(userId, code, value);
  }
  return store.getUser(userId)!;
}
