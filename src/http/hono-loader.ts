import { ErrorCodes, McpkitError } from "../errors/index.js";
import { requireNow } from "../protocol/index.js";

type HonoModule = typeof import("hono");

let loaded: HonoModule | undefined;

/**
 * Load hono, once. A stdio server never needs it, and importing it is a
 * measurable part of start-up, so the HTTP face loads it when it is first
 * built: `mcp.listen()` and `mcp.fetch` wait for this.
 */
export async function loadHono(): Promise<HonoModule> {
  loaded ??= await import("hono");
  return loaded;
}

/**
 * Hono, now, for `mcp.http()`, which returns an app synchronously. When it has
 * not been loaded yet it is required synchronously by its ESM file (what
 * `import "hono"` resolves to), so the app is an instance of the same `Hono`
 * class the user's own `import { Hono } from "hono"` gets. Where that cannot
 * work (no Node module API, or a bundle with no `node_modules` to require
 * from), `await mcp.loadHttp()` loads it first.
 */
export function honoNow(): HonoModule {
  if (loaded !== undefined) return loaded;
  try {
    loaded = requireNow(import.meta.url, import.meta.resolve("hono")) as HonoModule;
    return loaded;
  } catch (error) {
    throw new McpkitError(
      ErrorCodes.INVALID_STATE,
      "mcp.http() could not load hono synchronously here: `await mcp.loadHttp()` once before calling it, or serve with mcp.fetch",
      { cause: error },
    );
  }
}
