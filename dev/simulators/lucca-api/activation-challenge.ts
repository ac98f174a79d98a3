import { randomBytes } from 'node:crypto';
import { request } from 'undici';

/**
 * Lucca's activation challenge: `GET {webhookUrl}?echo=<value>`; the endpoint passes when it
 * answers 200 with the value as the body (documented; an older page names the parameter
 * `challenge`, see `parameter`).
 */
export async function runActivationChallenge(
  webhookUrl: string,
  timeoutMs: number,
  parameter: 'echo' | 'challenge' = 'echo',
): Promise<boolean> {
  const value = randomBytes(16).toString('hex');
  const url = new URL(webhookUrl);
  url.searchParams.set(parameter, value);
  try {
    const res = await request(url, { method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    const body = await res.body.text();
    return res.statusCode === 200 && body.trim() === value;
  } catch {
    return false;
  }
}
