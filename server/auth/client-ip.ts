/**
 * The client's IP as the web server saw it. server/web/main.ts overwrites this header on
 * every request with the socket's address (or the proxy's X-Forwarded-For when trusted),
 * so a client cannot choose it.
 */
export const CLIENT_IP_HEADER = 'x-switchyard-client-ip';

export function clientIpFromHeaders(get: (name: string) => string | null | undefined): string | null {
  return get(CLIENT_IP_HEADER) ?? null;
}
