import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/** test/fixtures/bad-input/*.json: one bad input each, with the outcome it must end as. */
export const BAD_INPUT_DIR = resolve(__dirname, '../../fixtures/bad-input');

const lineExpectation = z
  .object({
    action: z.string(),
    reason: z.string().optional(),
    detail: z.string().optional(),
    managerIssue: z.string().optional(),
    outcome: z.string().optional(),
  })
  .strict();
const role = z.enum(['new-hire', 'synced', 'former', 'excluded']);
const extendedValue = z.object({ code: z.string(), value: z.union([z.string(), z.number(), z.boolean()]) }).strict();

export const recordFixtureSchema = z
  .object({
    id: z.string(),
    kind: z.literal('lucca-record'),
    description: z.string(),
    subject: z.enum(['new-hire', 'synced']),
    set: z.record(z.string(), z.unknown()),
    extended: extendedValue.optional(),
    peer: role.optional(),
    peerSet: z.record(z.string(), z.unknown()).optional(),
    expect: z
      .object({
        subject: lineExpectation,
        peer: lineExpectation.optional(),
        /** absent: no Elevo user; unchanged: the Elevo user is exactly as before; created: a new active user. */
        elevo: z.enum(['absent', 'unchanged', 'created']),
        elevoFields: z.record(z.string(), z.unknown()).optional(),
      })
      .strict(),
  })
  .strict();

export const tenantFixtureSchema = z
  .object({
    id: z.string(),
    kind: z.literal('tenant'),
    description: z.string(),
    change: z.enum([
      'revoke-lucca-key',
      'revoke-elevo-token',
      'lose-former-permission',
      'lose-future-permission',
      'delete-everyone',
      'empty-from-start',
    ]),
    expect: z
      .object({
        failureType: z.string().optional(),
        nonRetryable: z.boolean().optional(),
        attempts: z.number().int().optional(),
        messageContains: z.string().optional(),
        status: z.string().optional(),
        holdReasons: z.array(z.string()).optional(),
        suspend: z.number().int().optional(),
        writes: z.number().int().optional(),
      })
      .strict(),
  })
  .strict();

export const configFixtureSchema = z
  .object({
    id: z.string(),
    kind: z.literal('config'),
    description: z.string(),
    format: z.enum(['yaml', 'json']),
    text: z.string(),
    /** Each entry is the start of one reported problem ("<path>: <reason>"). */
    expect: z.object({ problems: z.array(z.string()).min(1) }).strict(),
  })
  .strict();

export const screeningFixtureSchema = z
  .object({
    id: z.string(),
    kind: z.literal('screening'),
    description: z.string(),
    change: z
      .object({
        set: z.record(z.string(), z.unknown()).optional(),
        extended: extendedValue.optional(),
        clearExtended: z.string().optional(),
        /** Replace the CV with a file of this many bytes. */
        largeFileBytes: z.number().int().optional(),
      })
      .strict(),
    expect: z.object({ outcome: z.string(), problems: z.array(z.string()), dossiers: z.number().int() }).strict(),
  })
  .strict();

export type RecordFixture = z.infer<typeof recordFixtureSchema>;
export type TenantFixture = z.infer<typeof tenantFixtureSchema>;
export type ConfigFixture = z.infer<typeof configFixtureSchema>;
export type ScreeningFixture = z.infer<typeof screeningFixtureSchema>;

const schemas = {
  'lucca-record': recordFixtureSchema,
  tenant: tenantFixtureSchema,
  config: configFixtureSchema,
  screening: screeningFixtureSchema,
} as const;

/** Every fixture of one kind, validated (a malformed fixture fails loudly, it is never skipped). */
export function loadFixtures<K extends keyof typeof schemas>(kind: K): Array<z.infer<(typeof schemas)[K]>> {
  const all = readdirSync(BAD_INPUT_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, raw: JSON.parse(readFileSync(join(BAD_INPUT_DIR, file), 'utf8')) as { kind?: string } }));
  return all
    .filter((f) => f.raw.kind === kind)
    .map((f) => {
      const parsed = schemas[kind].safeParse(f.raw);
      if (!parsed.success) throw new Error(`bad fixture ${f.file}: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
      return parsed.data as z.infer<(typeof schemas)[K]>;
    });
}

export function countFixtures(): number {
  return readdirSync(BAD_INPUT_DIR).filter((f) => f.endsWith('.json')).length;
}
