import { ApplicationFailure } from '@temporalio/common';
import { toFailure } from '../../../src/activities/integration-failure-interceptor';
import { CodecKeyError } from '../../../src/codec/aes-gcm-payload-codec';
import { SecretResolutionError } from '../../../src/config/secret-reference';
import { ConnectorNotConfiguredError, UnknownTenantError } from '../../../src/config/tenant-directory';
import { AequivalentIdempotencyKeyReusedError } from '../../../src/connectors/aequivalent-screening/aequivalent/client';
import { IntegrationError, type IntegrationErrorKind } from '../../../src/integrations/http/integration-error';
import { PermanentError } from '../../../src/shared/permanent-error';

/** Retryability is decided here only: workflows list no error types, so these are what they get. */
const failureOf = (err: unknown): ApplicationFailure => {
  const failure = toFailure(err);
  expect(failure).toBeInstanceOf(ApplicationFailure);
  return failure as ApplicationFailure;
};
const integrationError = (kind: IntegrationErrorKind) =>
  new IntegrationError({ system: 'lucca', kind, tenantId: 'acme', operation: 'GET /api/v3/users', status: 400 });

describe('one place decides retryability', () => {
  it.each<[IntegrationErrorKind, string, boolean]>([
    ['authentication', 'LuccaAuthenticationError', true],
    ['permission', 'LuccaPermissionError', true],
    ['bad-request', 'LuccaBadRequestError', true],
    ['not-found', 'LuccaNotFoundError', true],
    ['conflict', 'LuccaConflictError', true],
    ['invalid-response', 'LuccaInvalidResponseError', true],
    ['rate-limited', 'LuccaRateLimitedError', false],
    ['timeout', 'LuccaTimeoutError', false],
    ['server', 'LuccaServerError', false],
    ['network', 'LuccaNetworkError', false],
  ])('an integration error of kind %s becomes %s (non-retryable: %s)', (kind, type, nonRetryable) => {
    const failure = failureOf(integrationError(kind));
    expect(failure.type).toBe(type);
    expect(failure.nonRetryable).toBe(nonRetryable);
  });

  it('keeps the subtype of a reused idempotency key and never retries it', () => {
    const failure = failureOf(
      new AequivalentIdempotencyKeyReusedError({
        system: 'aequivalent',
        kind: 'bad-request',
        tenantId: 'acme',
        operation: 'POST dossiers',
        status: 422,
      }),
    );
    expect(failure).toMatchObject({ type: 'AequivalentIdempotencyKeyReusedError', nonRetryable: true });
  });

  it('waits at least Retry-After (and at least a second) before the next attempt', () => {
    const rateLimited = (retryAfterMs: number) =>
      new IntegrationError({
        system: 'lucca',
        kind: 'rate-limited',
        tenantId: 'acme',
        operation: 'GET /api/v3/users',
        status: 429,
        retryAfterMs,
      });
    expect(failureOf(rateLimited(30_000)).nextRetryDelay).toBe(30_000);
    expect(failureOf(rateLimited(0)).nextRetryDelay).toBe(1000);
  });

  it.each<[string, Error]>([
    ['UnknownTenantError', new UnknownTenantError('ghost')],
    ['ConnectorNotConfiguredError', new ConnectorNotConfiguredError('acme', 'elevo')],
    ['SecretResolutionError', new SecretResolutionError('env:MISSING is not set')],
    ['CodecKeyError', new CodecKeyError('payload sealed with unknown encryption key "k1"')],
    ['ScreeningStatusLabelMissing', new PermanentError('no "to order" entry', 'ScreeningStatusLabelMissing')],
    ['ExclusionFieldUnreadable', new PermanentError('exclusion field not visible', 'ExclusionFieldUnreadable')],
  ])('a permanent error fails at once with type %s', (type, err) => {
    expect(failureOf(err)).toMatchObject({ type, nonRetryable: true, message: err.message });
  });

  it('leaves any other error to the retry policy', () => {
    const err = new TypeError('boom');
    expect(toFailure(err)).toBe(err);
  });
});
