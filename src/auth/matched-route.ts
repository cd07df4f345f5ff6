/**
 * Which route a request reached, from what API Gateway says about it. Rules bind to the route the
 * gateway chose, never to the raw path spelling:
 * - HTTP API: `routeKey` (`GET /profiles/{handle}`, `ANY /x`, `$default`), the route API Gateway
 *   selected (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html);
 * - REST REQUEST: `resource` (the template) and `httpMethod`;
 * - REST TOKEN (and any event without either): only the ARN's concrete path, matched as a catch-all.
 * The method is the request's own (`requestContext.http.method` / `httpMethod`), since an `ANY`
 * route or `$default` serves every method; the ARN's method is the fallback.
 */
import { isGreedy, type MatchedRoute } from './access-rules';
import type { AuthorizationRequest } from './authorizer-event';
import type { ResourceArn } from './resource-arn';

interface RouteTemplate {
  method: string | undefined;
  segments: readonly string[] | undefined;
  routesOnPath: boolean;
}

const CATCH_ALL: RouteTemplate = Object.freeze({
  method: undefined,
  segments: undefined,
  routesOnPath: true,
});
const MEMO_LIMIT = 256;
const memo = new Map<string, RouteTemplate>();

function toTemplate(method: string | undefined, path: string): RouteTemplate {
  const segments = Object.freeze(path.split('/').filter((segment) => segment !== ''));
  const last = segments[segments.length - 1];
  return Object.freeze({
    method,
    segments,
    routesOnPath: last !== undefined && isGreedy(last),
  });
}

/** `GET /profiles/{handle}` (routeKey) or `/profiles/{handle}` (resource); `$default` routes on the path. */
function parseTemplate(key: string): RouteTemplate {
  const known = memo.get(key);
  if (known !== undefined) return known;
  let template = CATCH_ALL;
  const space = key.indexOf(' ');
  if (key.startsWith('/')) template = toTemplate(undefined, key);
  else if (space > 0 && key.charAt(space + 1) === '/') {
    template = toTemplate(key.slice(0, space), key.slice(space + 1));
  }
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, template);
  return template;
}

function readTemplate(request: AuthorizationRequest): RouteTemplate {
  const key =
    typeof request.routeKey === 'string' && request.routeKey !== ''
      ? request.routeKey
      : request.resource;
  return typeof key === 'string' && key.length <= 2048 ? parseTemplate(key) : CATCH_ALL;
}

/** The route of a request whose ARN parsed; see the module comment. */
export function toMatchedRoute(request: AuthorizationRequest, arn: ResourceArn): MatchedRoute {
  const template = readTemplate(request);
  const method =
    typeof request.method === 'string' && request.method !== ''
      ? request.method.toUpperCase()
      : (template.method ?? arn.method);
  return {
    method,
    template: template.segments,
    routesOnPath: template.routesOnPath,
    path: arn.path,
  };
}
