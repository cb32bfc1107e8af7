/**
 * Host and Origin checks against DNS rebinding: a page on an attacker's
 * domain that resolves to 127.0.0.1 must not reach a local server.
 */

/** Whether the request's `Host` header names one of `allowedHosts` (hostnames, any port). */
export function hostAllowed(request: Request, allowedHosts: readonly string[]): boolean {
  return hostHeaderAllowed(request.headers.get("host") ?? undefined, allowedHosts);
}

/** `hostAllowed` on the header's value (`undefined` when absent). */
export function hostHeaderAllowed(host: string | undefined, allowedHosts: readonly string[]): boolean {
  if (host === undefined) return false;
  const hostname = stripPort(host).toLowerCase();
  return allowedHosts.some((allowed) => allowed.toLowerCase() === hostname);
}

/** Whether the request's `Origin` (when present) is one of `allowedOrigins` (exact, or host match for localhost names). */
export function originAllowed(request: Request, allowedOrigins: readonly string[], allowedHosts: readonly string[]): boolean {
  return originHeaderAllowed(request.headers.get("origin") ?? undefined, allowedOrigins, allowedHosts);
}

/** `originAllowed` on the header's value (`undefined` when absent). */
export function originHeaderAllowed(origin: string | undefined, allowedOrigins: readonly string[], allowedHosts: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowedOrigins.includes(origin)) return true;
  try {
    const url = new URL(origin);
    return allowedHosts.some((allowed) => allowed.toLowerCase() === url.hostname.toLowerCase().replace(/^\[|\]$/g, ""));
  } catch {
    return false;
  }
}

function stripPort(host: string): string {
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return end === -1 ? host : host.slice(1, end);
  }
  const colon = host.lastIndexOf(":");
  return colon === -1 ? host : host.slice(0, colon);
}
