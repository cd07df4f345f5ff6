import { chooseAuthFlow, type SignInAuthFlow } from './auth-flow';

/**
 * The page's configuration, read here and nowhere else (web/.env.example says what each value is).
 * A missing or malformed value is reported on the page instead of failing later in a request.
 */
export interface WebConfig {
  userPoolId: string;
  userPoolClientId: string;
  region: string;
  /** Absolute URL of a Cognito emulator; undefined for real Cognito. */
  userPoolEndpoint: string | undefined;
  /** The API's base URL, without a trailing slash. */
  apiUrl: string;
  /**
   * How sign-in proves the password. Real Cognito: SRP (Amplify's default), the flow the stack's
   * app client enables (ExplicitAuthFlows ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH); a flow
   * the client does not enable is refused with InvalidParameterException. An emulator
   * (cognito-local) has no SRP, so only there the password is sent as is (USER_PASSWORD_AUTH).
   */
  authFlowType: SignInAuthFlow;
}

export type ConfigResult = { ok: true; config: WebConfig } | { ok: false; problems: string[] };

type Env = Partial<Record<string, string>>;

function absoluteHttpUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:'
      ? value.replace(/\/+$/u, '')
      : undefined;
  } catch {
    return undefined;
  }
}

const viteEnv: Env = {
  VITE_USER_POOL_ID: import.meta.env.VITE_USER_POOL_ID,
  VITE_USER_POOL_CLIENT_ID: import.meta.env.VITE_USER_POOL_CLIENT_ID,
  VITE_REGION: import.meta.env.VITE_REGION,
  VITE_USER_POOL_ENDPOINT: import.meta.env.VITE_USER_POOL_ENDPOINT,
  VITE_API_URL: import.meta.env.VITE_API_URL,
};

export function readConfig(env: Env = viteEnv): ConfigResult {
  const problems: string[] = [];
  const value = (name: string): string => env[name]?.trim() ?? '';
  const required = (name: string): string => {
    const found = value(name);
    if (found === '') problems.push(`${name} is not set.`);
    return found;
  };

  const userPoolId = required('VITE_USER_POOL_ID');
  const userPoolClientId = required('VITE_USER_POOL_CLIENT_ID');
  const region = required('VITE_REGION');
  const rawApiUrl = required('VITE_API_URL');
  const rawEndpoint = value('VITE_USER_POOL_ENDPOINT');

  if (userPoolId !== '' && region !== '' && !userPoolId.startsWith(`${region}_`)) {
    problems.push(
      `VITE_USER_POOL_ID (${userPoolId}) is not a pool in VITE_REGION (${region}): pool IDs look like ${region}_AbC123.`,
    );
  }
  const apiUrl = rawApiUrl === '' ? '' : absoluteHttpUrl(rawApiUrl);
  if (apiUrl === undefined) {
    problems.push(`VITE_API_URL must be an absolute http(s) URL, e.g. http://localhost:3000.`);
  }
  const userPoolEndpoint = rawEndpoint === '' ? undefined : absoluteHttpUrl(rawEndpoint);
  if (rawEndpoint !== '' && userPoolEndpoint === undefined) {
    problems.push(
      `VITE_USER_POOL_ENDPOINT must be an absolute http(s) URL, e.g. http://localhost:9229 (or unset for real Cognito).`,
    );
  }

  if (problems.length > 0 || apiUrl === undefined) return { ok: false, problems };
  return {
    ok: true,
    config: {
      userPoolId,
      userPoolClientId,
      region,
      userPoolEndpoint,
      apiUrl,
      authFlowType: chooseAuthFlow(userPoolEndpoint),
    },
  };
}
