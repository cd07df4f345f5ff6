/**
 * The ports the local stacks listen on, each set by one documented variable, and checked before
 * anything starts: a busy port is reported with the variable that moves it, instead of a bare
 * `EADDRINUSE` from deep inside serverless-offline or cognito-local.
 */
import { createServer } from 'node:net';

export interface PortSetting {
  /** The variable that sets it, e.g. `LAMBDA_PORT`. */
  variable: string;
  /** What listens there, for the message. */
  role: string;
  fallback: number;
}

export const API_PORT: PortSetting = { variable: 'PORT', role: 'the API', fallback: 3000 };
export const LAMBDA_PORT: PortSetting = {
  variable: 'LAMBDA_PORT',
  role: "serverless-offline's Lambda endpoint (the emulator's triggers call it)",
  fallback: 3002,
};
export const COGNITO_PORT: PortSetting = {
  variable: 'COGNITO_PORT',
  role: 'the Cognito emulator',
  fallback: 9229,
};
export const WEB_PORT: PortSetting = { variable: 'WEB_PORT', role: 'the web page', fallback: 5173 };

/** A port setting that is not a port number, or a port that is taken. */
export class PortError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PortError';
  }
}

/** The port `setting` names in `env`, or its default; throws {@link PortError} on a bad value. */
export function readPort(setting: PortSetting, env: NodeJS.ProcessEnv): number {
  const raw = env[setting.variable]?.trim();
  if (raw === undefined || raw === '') return setting.fallback;
  const port = Number(raw);
  if (!/^\d+$/u.test(raw) || port < 1 || port > 65535) {
    throw new PortError(
      `${setting.variable} must be a port number from 1 to 65535; got "${raw.slice(0, 20)}"`,
    );
  }
  return port;
}

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => {
      resolve(false);
    });
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => {
        resolve(true);
      });
    });
  });
}

/**
 * Throws {@link PortError} naming the port, what it is for and its variable when something already
 * listens on it (on 127.0.0.1 or, where there is IPv6, on ::1: `localhost` may be either).
 */
export async function assertPortFree(port: number, setting: PortSetting): Promise<void> {
  const free = (await isFree(port, '127.0.0.1')) && (await isFreeOnIpv6Loopback(port));
  if (!free) {
    throw new PortError(
      `Port ${port} (${setting.variable}, ${setting.role}) is already in use. Stop what holds it, or set ${setting.variable} to a free port, e.g. ${setting.variable}=${port + 10}.`,
    );
  }
}

async function isFreeOnIpv6Loopback(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      // No IPv6 on this machine: nothing can hold the port there.
      resolve(error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT');
    });
    server.listen({ port, host: '::1', exclusive: true }, () => {
      server.close(() => {
        resolve(true);
      });
    });
  });
}
