import type { AequivalentConnectorConfig } from '../config-section';
import { IntegrationError } from '../../../integrations/http/integration-error';
import { readExtendedData } from '../../../integrations/lucca/lucca-user-fields';
import { finding, type CheckFinding } from '../../../onboarding/check-finding';
import type { ConnectorCheckContext } from '../../../onboarding/connector-check';
import { advice } from '../../../onboarding/lucca-setup-advice';

export const WRITE_FORBIDDEN_ADVICE = advice.writeSection('Background check');

/**
 * Lucca's v3 API has no read-only way to ask what a key may modify. By default the check does not
 * write: it says so, and the first order reports a refusal (its write-back stays "blocked:
 * LuccaPermissionError" with this advice, and is retried without ordering twice). With the opt-in
 * write probe it re-writes one employee's current order status with the same value id and value:
 * the data does not change (Lucca may still note a modification date on that employee).
 */
export async function orderStatusWriteFinding(ctx: ConnectorCheckContext, config: AequivalentConnectorConfig): Promise<CheckFinding> {
  const code = config.fields.orderStatus;
  const subject = `${code} writable (section "Background check")`;
  if (!ctx.writeProbe) {
    return finding(
      'unverified',
      'lucca.write-unverified',
      subject,
      'Not tested: Lucca cannot tell whether the key may modify the section without a write, and the check writes nothing by default. Run the check with --write-probe (re-writes one unchanged value), or the first order will report it: "Lucca write-back (created) blocked: LuccaPermissionError".',
      `Make sure of it now: ${WRITE_FORBIDDEN_ADVICE}`,
    );
  }
  const target = employeeWithOrderStatus(ctx, code);
  if (!target) {
    return finding(
      'unverified',
      'lucca.write-unverified',
      subject,
      'Not tested: no employee has an order status yet, and the probe only re-writes an existing value. The first order will report a refusal.',
      `Make sure of it now: ${WRITE_FORBIDDEN_ADVICE}`,
    );
  }
  return rewriteUnchanged(ctx, config, target, subject);
}

type ListValueOwner = { id: number; value: { id: number; value: number } };

/** An employee of the sample whose order status holds a list entry: the probe re-writes that same entry. */
function employeeWithOrderStatus(ctx: ConnectorCheckContext, code: string): ListValueOwner | undefined {
  return ctx.snapshot.sample
    .map((user) => ({ id: user.id, value: readExtendedData(user, code) }))
    .find(
      (u): u is ListValueOwner =>
        typeof u.id === 'number' &&
        !!u.value &&
        !Array.isArray(u.value) &&
        typeof u.value.id === 'number' &&
        typeof u.value.value === 'number',
    );
}

/** Re-writes the employee's order status with its own value: Lucca's answer says whether the key may write. */
async function rewriteUnchanged(
  ctx: ConnectorCheckContext,
  config: AequivalentConnectorConfig,
  target: ListValueOwner,
  subject: string,
): Promise<CheckFinding> {
  const code = config.fields.orderStatus;
  try {
    ctx.noteWrite();
    await ctx.lucca.updateExtendedData(target.id, { [code]: { id: target.value.id, value: target.value.value } });
    // An unchanged value cannot show that Lucca stored it (L22: a silent ignore would answer the same): say so.
    return finding(
      'ok',
      'lucca.write-ok',
      subject,
      'Lucca did not refuse to modify the order status (one unchanged value re-written, HTTP 200). An unchanged value cannot prove it was stored: should Lucca ignore a write it does not allow instead of refusing it, the first order detects it from Lucca\'s answer and reports "Lucca write-back (created) blocked: LuccaPermissionError".',
    );
  } catch (err) {
    if (err instanceof IntegrationError && err.kind === 'permission') {
      return finding(
        'blocking',
        'lucca.section-read-only',
        subject,
        `Lucca refuses to modify ${code} (HTTP 403): orders would be placed but never marked "${config.statusLabels.created}".`,
        WRITE_FORBIDDEN_ADVICE,
      );
    }
    if (err instanceof IntegrationError && err.kind === 'bad-request') {
      return finding(
        'unverified',
        'lucca.write-unverified',
        subject,
        'Not tested: Lucca refused the unchanged value as invalid (HTTP 400), which says nothing about the right.',
        `Make sure of it now: ${WRITE_FORBIDDEN_ADVICE}`,
      );
    }
    throw err;
  }
}
