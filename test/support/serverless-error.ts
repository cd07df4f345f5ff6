/**
 * Stands in for the Serverless Framework's `serverless.classes.Error` when a local plugin is loaded
 * without the framework: plugins throw it so that the framework prints the message without a stack.
 */
export class ServerlessError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ServerlessError';
  }
}
