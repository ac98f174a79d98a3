/**
 * One sentence per reason code of the Elevo sync report: what an HR admin fixes, and where
 * (anchor: the error codes and step-by-step fixes of TravelPerk's Lucca sync log). Codes that need
 * nothing (a new hire, an applied update) have no hint.
 */
const SKIP_HINTS: Record<string, string> = {
  excluded: 'The "skip Elevo sync" box is ticked in this employee\'s Lucca HR file; untick it if they should have an Elevo account.',
  'missing-email':
    "Enter the professional e-mail in the employee's Lucca file (Elevo needs it to log in); the next sync creates the account.",
  'duplicate-email': 'Two Lucca employees share this e-mail: correct the e-mail of the one it does not belong to in Lucca.',
  'adoption-conflict':
    'An Elevo account matches this employee ambiguously: make e-mail and registration number in Lucca match one Elevo account only (or remove the duplicate in Elevo).',
  'email-taken': "Another Elevo account already uses this employee's new e-mail: free it in Elevo or correct the e-mail in Lucca.",
  'contradictory-contract':
    'The contract ends before it starts, so Lucca lists this person as a former employee: fix the contract dates in Lucca (new contract start, or remove the end date) if they still work here.',
};

const DETAIL_HINTS: Record<string, string> = {
  'missing-first-name': "Enter the first name in the employee's Lucca file.",
  'missing-last-name': "Enter the last name in the employee's Lucca file.",
  'malformed-email': "Correct the professional e-mail in the employee's Lucca file (it is not a valid address).",
  'malformed-contract-start': "Correct the contract start date in the employee's Lucca file.",
  'malformed-contract-end': "Correct the contract end date in the employee's Lucca file.",
  'duplicate-lucca-id': 'Lucca returned this employee twice: contact Lucca support if it happens again.',
};

const MANAGER_HINTS: Record<string, string> = {
  'manager-missing': "The manager set in Lucca is not a visible employee: set a current manager in the employee's Lucca file.",
  'manager-excluded': 'The manager is excluded from the Elevo sync: untick their "skip Elevo sync" box or set another manager in Lucca.',
  'manager-cycle': 'The managers form a loop in Lucca (A manages B manages A): correct one of the managers in Lucca.',
  'manager-not-synced':
    'The manager has no Elevo account (see their own line): fix their Lucca file and the manager is set on the next sync.',
};

export function elevoSkipHint(reason: string, detail?: string): string | undefined {
  if (reason === 'invalid-record' && detail)
    return DETAIL_HINTS[detail] ?? "Correct this employee's Lucca file (the detail names the field).";
  return SKIP_HINTS[reason];
}

export function elevoManagerHint(issue: string): string {
  return MANAGER_HINTS[issue] ?? "Check the manager set in the employee's Lucca file.";
}

/** A write Elevo refused for good (the code names the contract's error). */
export function elevoFailureHint(error: string | undefined): string {
  if (error?.includes('email_taken'))
    return 'Elevo refused the e-mail (another account has it): free it in Elevo or correct the e-mail in Lucca; the next sync retries.';
  if (error?.includes('unknown_manager')) return "Elevo does not know the manager: check the manager's own line; the next sync retries.";
  if (error?.includes('attribute_locked'))
    return 'Elevo refused to change a locked attribute: ask Elevo support to check the provisioning lock; the next sync retries.';
  if (error?.includes(':409'))
    return 'Elevo refused the write as a conflict with another account: check for a duplicate account in Elevo (same e-mail or registration number) and fix it there or in Lucca; the next sync retries.';
  if (error?.includes('invalid_request') || error?.includes(':422'))
    return 'Elevo refused a value from the Lucca file (see the error code): correct it in Lucca; the next sync retries.';
  return "Elevo refused this write (see the error code): check the employee's Lucca file; an operator can read the run in the Temporal UI. The next sync retries.";
}
