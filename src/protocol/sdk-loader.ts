import { ErrorCodes, McpkitError } from "../errors/index.js";

type ServerSdk = typeof import("@modelcontextprotocol/server");
type StdioSdk = typeof import("@modelcontextprotocol/server/stdio");
type ShimsSdk = typeof import("@modelcontextprotocol/server/_shims");

/** The SDK's server modules, once loaded. */
export interface Sdk {
  readonly server: ServerSdk;
  readonly stdio: StdioSdk;
  /** The runtime-selected parts (the JSON Schema engine). */
  readonly shims: ShimsSdk;
}

let loaded: Sdk | undefined;
let loading: Promise<Sdk> | undefined;

/**
 * Load the MCP SDK's server side, once per process. Importing it (with its
 * JSON Schema engine) is most of a server's start-up, and a stdio server
 * answers its handshake and its common requests without it
 * (src/protocol/bare-connection.ts): it is loaded the first time something
 * needs it (a rarer request, HTTP serving, a server-to-client request).
 */
export function loadSdk(): Promise<Sdk> {
  loading ??= Promise.all([
    import("@modelcontextprotocol/server"),
    import("@modelcontextprotocol/server/stdio"),
    import("@modelcontextprotocol/server/_shims"),
  ]).then(
    ([server, stdio, shims]) => (loaded = { server, stdio, shims }),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** The SDK if it has been loaded, else `undefined`. */
export function loadedSdk(): Sdk | undefined {
  return loaded;
}

/**
 * The loaded SDK, for code that only runs after `loadSdk()` resolved (an SDK
 * server exists, an HTTP endpoint has been readied). Reaching it earlier is a
 * bug in mcpkit, reported as such.
 */
export function sdk(): ServerSdk {
  if (loaded === undefined) throw new McpkitError(ErrorCodes.INTERNAL, "mcpkit internal error: the MCP SDK was used before it was loaded");
  return loaded.server;
}
