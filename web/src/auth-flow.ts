/** How the page signs in; kept apart from config.ts (which reads import.meta.env) so Jest can load it. */
export type SignInAuthFlow = 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';

/** The sign-in flow for a configuration: SRP unless an emulator endpoint is set. */
export function chooseAuthFlow(userPoolEndpoint: string | undefined): SignInAuthFlow {
  return userPoolEndpoint === undefined ? 'USER_SRP_AUTH' : 'USER_PASSWORD_AUTH';
}
