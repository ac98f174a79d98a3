import type { JsonHttpClient } from '../http/json-http-client';
import { tokenResponseSchema } from './lucca-api-schemas';

/**
 * `POST <token URL>` with `grant_type=client_credentials`, form-encoded (documented). Bad client
 * credentials come back 400/401 and become a non-retryable IntegrationError; the secret is never
 * part of an error message.
 */
export async function fetchClientCredentialsToken(
  http: JsonHttpClient,
  client: { path: string; clientId: string; clientSecret: string; scopes: readonly string[] },
): Promise<{ accessToken: string; expiresInSeconds: number }> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: client.clientId,
    client_secret: client.clientSecret,
    scope: client.scopes.join(' '),
  });
  const answer = await http.sendRaw(
    {
      method: 'POST',
      path: client.path,
      body: Buffer.from(form.toString()),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    },
    tokenResponseSchema,
  );
  return { accessToken: answer.access_token, expiresInSeconds: answer.expires_in };
}
