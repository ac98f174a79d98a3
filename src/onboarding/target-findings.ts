import { IntegrationError } from '../integrations/http/integration-error';
import { finding, type CheckFinding } from './check-finding';

/** One read call to Elevo or Aequivalent: token accepted, account reachable. Never writes. */
export async function targetAccountFinding(
  system: 'Elevo' | 'Aequivalent',
  baseUrl: string,
  call: () => Promise<unknown>,
): Promise<CheckFinding> {
  const subject = `${system} account (${baseUrl})`;
  const code = system.toLowerCase();
  try {
    await call();
    return finding('ok', `${code}.account-ok`, subject, `${system} accepts the token and answers.`);
  } catch (err) {
    if (!(err instanceof IntegrationError)) throw err;
    if (err.kind === 'authentication' || err.kind === 'permission') {
      return finding(
        'blocking',
        `${code}.token-refused`,
        subject,
        `${system} refuses the token (HTTP ${err.status ?? '401'}).`,
        `Ask ${system} for a valid token of this account and update the secret it is read from.`,
      );
    }
    if (err.kind === 'network' || err.kind === 'timeout' || err.kind === 'not-found') {
      return finding(
        'blocking',
        `${code}.unreachable`,
        subject,
        `${system} cannot be reached at this URL (${err.kind}${err.status ? `, HTTP ${err.status}` : ''}).`,
        `Check the ${code}.baseUrl of the tenant (the account's API address).`,
      );
    }
    return finding(
      'blocking',
      `${code}.error`,
      subject,
      `${system} answered with an error (${err.kind}${err.status ? `, HTTP ${err.status}` : ''}).`,
      'Run the check again later; if it persists, contact the vendor.',
    );
  }
}
