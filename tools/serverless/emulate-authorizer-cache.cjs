// A local osls plugin: with AUTHORIZER_CACHE=emulate, `serverless offline` puts API Gateway's
// authorizer result cache in front of each Lambda authorizer (tools/dev-stack/authorizer-cache.ts),
// configured from the authorizer's own `identitySource` and `resultTtlInSeconds` in serverless.yml.
// serverless-offline invokes the authorizer on every request and has no such cache.
//
// It points the authorizer function's handler at tools/dev-stack/cached-authorizer-handler.ts
// (which wraps the unchanged production handler) and hands it the settings in
// AUTHORIZER_CACHE_SETTINGS. It runs in the `initialize` lifecycle event, before serverless-esbuild
// (listed after this plugin) reads the handlers. Any other command, and `offline` without the
// switch, leaves the service untouched: what is packaged and deployed never contains the cache.
'use strict';

const VARIABLE = 'AUTHORIZER_CACHE';
const SETTINGS_VARIABLE = 'AUTHORIZER_CACHE_SETTINGS';
const CACHED_HANDLER = 'tools/dev-stack/cached-authorizer-handler.handler';
// API Gateway's (and osls's) TTL when resultTtlInSeconds is not set:
// https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html
const DEFAULT_TTL_SECONDS = 300;
const REST_DEFAULT_IDENTITY_SOURCE = 'method.request.header.Authorization';

/** `emulate` → true; unset, empty or `off` → false; anything else is a mistake worth stopping for. */
function readSwitch(env, ServerlessError) {
  const raw = (env[VARIABLE] ?? '').trim();
  if (raw === '' || raw === 'off') return false;
  if (raw === 'emulate') return true;
  throw new ServerlessError(
    `${VARIABLE} must be "emulate" (cache authorizer answers as API Gateway does) or "off"; ` +
      `got "${raw.slice(0, 20)}"`,
    'AUTHORIZER_CACHE_INVALID',
  );
}

function toSourceList(identitySource, fallback) {
  const list = Array.isArray(identitySource)
    ? identitySource
    : String(identitySource ?? fallback).split(',');
  return list.map((source) => String(source).trim()).filter((source) => source !== '');
}

function toTtlSeconds(value) {
  return value === undefined || value === null || value === ''
    ? DEFAULT_TTL_SECONDS
    : Number(value);
}

/**
 * The cache settings of every Lambda authorizer in the service, by function name: HTTP API
 * authorizers (provider.httpApi.authorizers with a functionName) and REST ones (an `http` event's
 * `authorizer` naming a function of this service).
 */
function collectAuthorizerSettings(service) {
  const found = [];
  const httpApiAuthorizers = service.provider?.httpApi?.authorizers ?? {};
  for (const [name, authorizer] of Object.entries(httpApiAuthorizers)) {
    if (authorizer?.type !== 'request' || typeof authorizer.functionName !== 'string') continue;
    found.push({
      authorizer: name,
      functionName: authorizer.functionName,
      settings: {
        identitySources: toSourceList(authorizer.identitySource, '$request.header.Authorization'),
        ttlSeconds: toTtlSeconds(authorizer.resultTtlInSeconds),
      },
    });
  }
  for (const fn of Object.values(service.functions ?? {})) {
    for (const event of fn?.events ?? []) {
      const authorizer = event?.http?.authorizer;
      if (authorizer === undefined) continue;
      const functionName = typeof authorizer === 'string' ? authorizer : authorizer.name;
      if (typeof functionName !== 'string' || !(functionName in (service.functions ?? {})))
        continue;
      found.push({
        authorizer: functionName,
        functionName,
        settings: {
          identitySources: toSourceList(authorizer.identitySource, REST_DEFAULT_IDENTITY_SOURCE),
          ttlSeconds: toTtlSeconds(authorizer.resultTtlInSeconds),
        },
      });
    }
  }
  const byFunction = new Map();
  for (const entry of found) {
    const known = byFunction.get(entry.functionName);
    if (known !== undefined && JSON.stringify(known.settings) !== JSON.stringify(entry.settings)) {
      // One function, one cache module per process: two different keys cannot both be emulated.
      throw new Error(
        `${VARIABLE}=emulate: function "${entry.functionName}" serves authorizers with different ` +
          `identity sources or TTLs (${known.authorizer}, ${entry.authorizer}); give each its own function`,
      );
    }
    byFunction.set(entry.functionName, entry);
  }
  return byFunction;
}

class EmulateAuthorizerCachePlugin {
  constructor(serverless, options, utils) {
    this.serverless = serverless;
    this.options = options;
    this.log = utils?.log;
    this.hooks = { initialize: () => this.emulateAuthorizerCache() };
  }

  emulateAuthorizerCache(env = process.env) {
    const [command] = this.serverless.processedInput.commands;
    const ServerlessError = this.serverless.classes.Error;
    if (!readSwitch(env, ServerlessError) || command !== 'offline') return;
    const { service } = this.serverless;
    let byFunction;
    try {
      byFunction = collectAuthorizerSettings(service);
    } catch (error) {
      throw new ServerlessError(error.message, 'AUTHORIZER_CACHE_UNSUPPORTED');
    }
    for (const { functionName, settings } of byFunction.values()) {
      const fn = service.functions[functionName];
      fn.handler = CACHED_HANDLER;
      fn.environment = { ...fn.environment, [SETTINGS_VARIABLE]: JSON.stringify(settings) };
      this.log?.notice?.(
        `${VARIABLE}=emulate: "${functionName}" answers cached as API Gateway does, under ` +
          `${settings.identitySources.join(', ')} for ${settings.ttlSeconds} s`,
      );
    }
  }
}

module.exports = EmulateAuthorizerCachePlugin;
module.exports.collectAuthorizerSettings = collectAuthorizerSettings;
module.exports.CACHED_HANDLER = CACHED_HANDLER;
