/**
 * A configuration value is missing or invalid. Thrown at cold start, so the function fails to
 * initialise (and the deployment's smoke test fails) instead of running with a guessed value.
 */
export class ConfigError extends Error {
  constructor(
    /** The environment variable (or file) at fault. */
    readonly variable: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${variable}: ${message}`, options);
    this.name = 'ConfigError';
  }
}
