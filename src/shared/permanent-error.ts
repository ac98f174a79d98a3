/**
 * An error that no retry can fix: a tenant or connector missing from the config, a secret that
 * cannot be read, a payload key we no longer have, a Lucca field or list the key cannot see.
 * The activity interceptor turns it into a non-retryable failure whose type is the error's `name`;
 * together with `IntegrationError.retryable` it is the only place where retryability is decided
 * (workflows set timeouts and attempts, never lists of error types).
 */
export class PermanentError extends Error {
  constructor(
    message: string,
    /** The failure type operators and workflows see, e.g. `ScreeningStatusLabelMissing`. */
    readonly failureType: string = new.target.name,
  ) {
    super(message);
    this.name = failureType;
  }
}
