/**
 * Cognito hands a trigger's error message to the person wrapped in its own words:
 * `PreSignUp failed with error <message>.` (real Cognito, named after the trigger) or
 * `<function name> failed with error <message>.` (cognito-local, named after the Lambda function,
 * e.g. `cognito-gate-local-preSignUp failed with error Display name must contain visible characters.`).
 *
 * Returns `<message>` alone: the wrapper and the one dot Cognito appends are dropped, and nothing
 * else changes (a message that ends its own sentence keeps its dot). Anything not in that shape is
 * returned as it is. Pure, with no browser or Amplify dependency, so it is unit-testable in Node.
 */
export function stripTriggerWrapper(message: string): string {
  const match = /^\s*\S+ failed with error (.*)$/su.exec(message);
  const inner = match?.[1]?.trimEnd();
  if (inner === undefined) return message;
  const withoutDot = (inner.endsWith('.') ? inner.slice(0, -1) : inner).trim();
  return withoutDot === '' ? message : withoutDot;
}
