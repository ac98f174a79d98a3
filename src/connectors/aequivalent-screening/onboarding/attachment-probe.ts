import type { AequivalentConnectorConfig } from '../config-section';
import { IntegrationError } from '../../../integrations/http/integration-error';
import { fileIdOf } from '../../../integrations/lucca/extended-data';
import { readExtendedData } from '../../../integrations/lucca/lucca-user-fields';
import { finding, type CheckFinding } from '../../../onboarding/check-finding';
import type { ConnectorCheckContext } from '../../../onboarding/connector-check';
import { advice } from '../../../onboarding/lucca-setup-advice';

/**
 * Downloads the first attachment found among the first 1,000 employees and drops the bytes at once
 * (only the answer's status matters): one request, nothing kept, nothing written.
 */
export async function attachmentFinding(ctx: ConnectorCheckContext, config: AequivalentConnectorConfig): Promise<CheckFinding> {
  const subject = `attachments (${config.fields.cvFile}, ${config.fields.otherFiles})`;
  const fileId = firstFileId(ctx, config);
  if (!fileId) {
    return finding(
      'unverified',
      'lucca.files-unverified',
      subject,
      'No employee among the first 1,000 has a CV or other document yet, so downloading could not be tried. The first order with a file reports a refusal as "LuccaPermissionError" on its file transfer.',
    );
  }
  try {
    const { body } = await ctx.lucca.downloadFile(fileId);
    // Dropping the body aborts the transfer; undici reports that as an error event we expect.
    body.on('error', () => undefined).destroy();
    return finding('ok', 'lucca.files-ok', subject, 'The key can download HR-file attachments.');
  } catch (err) {
    if (err instanceof IntegrationError && err.kind === 'permission') {
      return finding(
        'blocking',
        'lucca.files-forbidden',
        subject,
        `Lucca refuses to hand over an attachment of the section (HTTP ${err.status}): CVs and documents cannot reach Aequivalent.`,
        advice.readSection('Background check', false),
      );
    }
    if (err instanceof IntegrationError && err.kind === 'not-found') {
      // The download path is our inference (docs/external-apis.md L24): a 404 is not proof of a missing right.
      return finding(
        'warning',
        'lucca.files-unconfirmed',
        subject,
        `Lucca answered 404 for an attachment that an employee's data references: either the key may not see it, or Lucca serves HR-file attachments elsewhere than /api/v3/files/<id>. CVs and documents may not reach Aequivalent.`,
        advice.confirmReadSection('Background check', config.fields.cvFile, false),
      );
    }
    throw err;
  }
}

function firstFileId(ctx: ConnectorCheckContext, config: AequivalentConnectorConfig): string | undefined {
  for (const user of ctx.snapshot.sample) {
    for (const code of [config.fields.cvFile, config.fields.otherFiles]) {
      const entry = readExtendedData(user, code);
      const values = Array.isArray(entry) ? entry : entry ? [entry] : [];
      const id = values.map((v) => fileIdOf(v.value)).find((v): v is string => v !== null);
      if (id) return id;
    }
  }
  return undefined;
}
