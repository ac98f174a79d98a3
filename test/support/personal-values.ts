import type { LuccaTenantStore } from '../../dev/simulators/lucca';

/**
 * The personal data of a generated tenant that a leak scan looks for: names, e-mails, phones and
 * birth dates. Only values of 6 bytes or more, so random ciphertext cannot match one by chance.
 */
export function personalValues(store: LuccaTenantStore): string[] {
  const values = new Set<string>();
  for (const u of store.users.values()) {
    for (const v of [
      u.firstName,
      u.lastName,
      `${u.firstName} ${u.lastName}`,
      u.mail,
      u.personalEmail,
      u.directLine,
      u.professionalMobile,
      u.personalMobile,
      u.birthDate?.slice(0, 10),
    ]) {
      if (v && Buffer.byteLength(v) >= 6) values.add(v);
    }
  }
  return [...values];
}
