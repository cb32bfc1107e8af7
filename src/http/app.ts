import type { Context as HonoContext, Hono } from "hono";
import { honoNow } from "./hono-loader.js";
import { hostAllowed, originAllowed, type HttpServing } from "../protocol/index.js";
import { exceedsJsonDepth, readBoundedBody } from "./limits.js";
import { mediaType, refusalBody, Refusals, type Refusal } from "./refusals.js";
import type { CorsOptions } from "./options.js";

/** A route served beside the MCP endpoint. */
export interface CustomRoute {
  readonly method: string;
  readonly path: string;
  readonly handler: (request: Request) => Response | Promise<Response>;
}

/** Resolved HTTP settings the app is built from. */
export interface AppSettings {
  readonly path: string;
  readonly cors: CorsOptions | undefined;
  readonly allowedHosts: readonly string[] | undefined;
  readonly allowedOrigins: readonly string[];
  readonly maxBodyBytes: number;
  readonly maxJsonDepth: number;
  readonly healthPath: string | false;
  readonly serverName: string;
}

const MCP_HEADERS = ["content-type", "authorization", "mcp-session-id", "mcp-protocol-version", "last-event-id", "mcp-method", "mcp-name"];

/** Build the hono app: health, custom routes and the MCP endpoint, behind CORS and DNS-rebinding checks. */
export function createApp(settings: AppSettings, serving: () => HttpServing, routes: readonly CustomRoute[]): Hono {
  const app = new (honoNow().Hono)();
  if (settings.cors !== undefined) app.use("*", corsMiddleware(settings.cors));
  // Every route, not only the MCP endpoint: a rebinding page must not read the health or custom routes either.
  app.use("*", async (c, next) => rebindingCheck(c.req.raw, settings) ?? (await next()));
  if (settings.healthPath !== false) {
    app.get(settings.healthPath, (c) => c.json({ status: "ok", server: settings.serverName }));
  }
  for (const route of routes) {
    app.on(route.method.toUpperCase(), route.path, (c) => route.handler(c.req.raw));
  }
  const endpoint = async (c: HonoContext): Promise<Response> => {
    const request = c.req.raw;
    if (request.method === "POST") {
      if (mediaType(request.headers.get("content-type")) !== "application/json") return refused(Refusals.mediaType);
      const body = await readBoundedBody(request, settings.maxBodyBytes);
      if (!body.ok) return refused(Refusals.tooLarge(settings.maxBodyBytes));
      if (exceedsJsonDepth(body.text, settings.maxJsonDepth)) return refused(Refusals.tooDeep(settings.maxJsonDepth));
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.text);
      } catch {
        return refused(Refusals.notJson);
      }
      return serving().handle(request, parsed);
    }
    return serving().handle(request, undefined);
  };
  app.on(["POST", "GET", "DELETE"], settings.path, endpoint);
  return app;
}

function rebindingCheck(request: Request, settings: AppSettings): Response | undefined {
  const hosts = settings.allowedHosts;
  if (hosts === undefined) return undefined;
  if (!hostAllowed(request, hosts)) return refused(Refusals.host);
  if (!originAllowed(request, settings.allowedOrigins, hosts)) return refused(Refusals.origin);
  return undefined;
}

function corsMiddleware(cors: CorsOptions) {
  const allowed = new Set(cors.origins);
  const allowHeaders = [...MCP_HEADERS, ...(cors.allowHeaders ?? [])].join(", ");
  return async (c: HonoContext, next: () => Promise<void>): Promise<Response | void> => {
    const origin = c.req.header("origin");
    const ok = origin !== undefined && allowed.has(origin);
    if (c.req.method === "OPTIONS") {
      if (!ok) return new Response(null, { status: 403 });
      return new Response(null, {
        status: 204,
        headers: {
          "access-control-allow-origin": origin,
          "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
          "access-control-allow-headers": allowHeaders,
          "access-control-max-age": "600",
          vary: "Origin",
        },
      });
    }
    await next();
    if (ok) {
      c.res.headers.set("access-control-allow-origin", origin);
      c.res.headers.set("access-control-expose-headers", "mcp-session-id, mcp-protocol-version");
      c.res.headers.append("vary", "Origin");
    }
  };
}

/** A JSON-RPC error response with no id (the request was refused before it was read). */
export function rpcError(status: number, code: number, message: string): Response {
  return new Response(refusalBody(code, message), {
    status,
    headers: { "content-type": "application/json" },
  });
}

function refused(refusal: Refusal): Response {
  return rpcError(refusal.status, refusal.code, refusal.message);
}
