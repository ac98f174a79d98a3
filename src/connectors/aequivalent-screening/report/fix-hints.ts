/**
 * One sentence per screening problem or intake decision: what HR fixes, and where. The order is
 * re-read by the next daily intake once the Lucca file is fixed (an invalid order places nothing).
 */
const PROBLEM_HINTS: Record<string, string> = {
  missing_package:
    "Choose a screening package in the employee's Background check section in Lucca; the next daily intake places the order.",
  unknown_package:
    "Choose one of Aequivalent's packages in the Background check section in Lucca (or ask an operator to add the label to the list).",
  missing_reason_category: 'Choose a dossier type (reason category) in the Background check section in Lucca.',
  unknown_reason_category: 'Choose a dossier type from the list in the Background check section in Lucca.',
  missing_reason: 'Choose a screening reason in the Background check section in Lucca.',
  unknown_reason: 'Choose a screening reason from the list in the Background check section in Lucca.',
  missing_last_name: "Enter the last name in the employee's Lucca file.",
  missing_first_name: "Enter the first name in the employee's Lucca file.",
  missing_contact: "Enter a professional e-mail or a phone number in the employee's Lucca file so Aequivalent can invite the candidate.",
  invalid_email: "Correct the professional e-mail in the employee's Lucca file.",
  invalid_birth_date: "Correct the birth date in the employee's Lucca file.",
  invalid_contract_start: "Correct the contract start date in the employee's Lucca file.",
  file_transfer_failed:
    'Send the missing files to Aequivalent by hand, or re-attach them in Lucca and ask an operator to re-run the transfer.',
  mirror_label_missing:
    'Ask an operator to add the missing status to the order-status list in Lucca (or remove it from statusLabels.mirror).',
  'status-not-to-order': 'Nothing to do: the order status was changed in Lucca before the order was placed.',
  'status-value-replaced': 'Nothing to do: the order status was replaced in Lucca; the new request is handled by the next intake.',
  'employee-not-found': 'Nothing was ordered: the employee is no longer visible in Lucca (deleted, or the key lost access).',
};

export function screeningProblemHint(code: string): string {
  return PROBLEM_HINTS[code] ?? "Check the employee's Lucca file and Background check section.";
}

const INTAKE_HINTS: Record<string, string> = {
  'order-already-placed':
    'A dossier was already placed for this request: to order again, set the order status to "Dossier à commander" anew in Lucca (a new value).',
  'previous-run-failed':
    'The previous order for this request failed: an operator reads it in the Temporal UI before anything is re-ordered.',
  'previous-run-timed-out': 'The previous order for this request timed out: an operator checks it in the Temporal UI.',
  'previous-run-terminated': 'The previous order for this request was stopped by an operator: they decide whether to order again.',
  'previous-run-cancelled':
    'The previous order for this request was cancelled: set a new "Dossier à commander" value in Lucca to order again.',
  'previous-run-unknown': "The previous order's state is unknown: an operator checks it in the Temporal UI.",
  'employee-left':
    'This person is a former employee in Lucca (contract ended) but still has "Dossier à commander": reset the order status in Lucca, or correct the contract end date if they still work here.',
};

export function intakeHint(reason: string): string {
  return INTAKE_HINTS[reason] ?? 'An operator checks this order in the Temporal UI.';
}
