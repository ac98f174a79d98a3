import { readExtendedData, type CanonicalUser } from '../integrations/lucca/lucca-user-fields';

/** How one e_ code came back on the employees read. */
export interface CodeSeen {
  /** Employees on which the code came back with a value. */
  withValue: number;
  /** Employees on which the code came back empty (`null`, or `[]` for multiple occurrences). */
  empty: number;
}

/**
 * What the employees' answers show about the codes the check asked for. Lucca does not document
 * whether a readable but unset code comes back as `null` or is left out, so absence alone proves
 * nothing; `unsetComesBackEmpty` records whether this very Lucca answered some code with an empty
 * value, which makes the absence of another code on every employee meaningful.
 */
export interface CodeObservations {
  employeesRead: number;
  /** By lower-cased code; absent when the code never came back. */
  seen: Map<string, CodeSeen>;
  unsetComesBackEmpty: boolean;
}

export function observeCodes(users: readonly CanonicalUser[], codes: readonly string[]): CodeObservations {
  const seen = new Map<string, CodeSeen>();
  let unsetComesBackEmpty = false;
  for (const user of users) {
    for (const code of codes) {
      const entry: unknown = readExtendedData(user, code);
      if (entry === undefined) continue;
      const empty = entry === null || (Array.isArray(entry) && entry.length === 0);
      if (empty) unsetComesBackEmpty = true;
      const key = code.toLowerCase();
      const counts = seen.get(key) ?? { withValue: 0, empty: 0 };
      if (empty) counts.empty += 1;
      else counts.withValue += 1;
      seen.set(key, counts);
    }
  }
  return { employeesRead: users.length, seen, unsetComesBackEmpty };
}
