import { ErrorCodes, McpkitError } from "../errors/index.js";
import type { MessageTransport } from "../protocol/index.js";
import { SSEClientTransport, StreamableHTTPClientTransport, type FetchLike, type SdkTransport } from "../protocol/client/index.js";
import { authFetch } from "./oauth-flow.js";
import type { ClientOptions } from "./options.js";

/** Anything that can hand out an in-memory connection: a `FastMCP` server. */
export interface InMemoryServer {
  inMemoryTransport(): MessageTransport;
}

/** A server process to spawn and speak to over stdio. */
export interface CommandTarget {
  command: string;
  args?: readonly string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Where the server's stderr goes. Default `inherit`. */
  stderr?: "inherit" | "pipe" | "ignore";
}

/** A server over HTTP. */
export interface RemoteTarget {
  url: string | URL;
  /** `http` (streamable HTTP, with legacy SSE as fallback; the default) or `sse` (legacy SSE only). */
  transport?: "http" | "sse";
  headers?: Record<string, string>;
}

/** What `Client.connect` accepts. */
export type ConnectTarget = InMemoryServer | string | URL | CommandTarget | RemoteTarget | MessageTransport;

/**
 * The `mcpServers` configuration Claude Desktop, Cursor and others use
 * (`{ command, args, env }` or `{ url, headers }` entries); any other
 * connect target (a server in memory...) is accepted as an entry too.
 */
export interface McpConfig {
  mcpServers: Record<string, ConnectTarget>;
}

/** How to open the transport (again, for a fallback). */
export interface TransportPlan {
  /** A short description for errors: "http://...", "node server.js"... */
  readonly label: string;
  /** A FastMCP server in this process: the client may send its tool calls on a direct channel (src/client/direct.ts). */
  readonly inMemory?: boolean;
  open(): Promise<SdkTransport>;
  /** A second transport to try when the first is refused (legacy SSE after streamable HTTP). */
  readonly fallback?: () => Promise<SdkTransport>;
}

/** The client options HTTP transports use. */
export type HttpOptions = Pick<ClientOptions, "auth" | "fetch" | "name">;

/** Decide the transport for a target. */
export function planTransport(target: ConnectTarget, headers: Record<string, string>, http: HttpOptions = {}): TransportPlan {
  if (typeof target === "object" && target !== null && "inMemoryTransport" in target && typeof target.inMemoryTransport === "function") {
    return { label: "in-memory server", inMemory: true, open: async () => target.inMemoryTransport() as unknown as SdkTransport };
  }
  if (isTransport(target)) return { label: "transport", open: async () => target as unknown as SdkTransport };
  if (target instanceof URL) return remote({ url: target }, headers, http);
  if (typeof target === "string") {
    if (/^https?:\/\//i.test(target)) return remote({ url: target }, headers, http);
    return command(fileCommand(target));
  }
  if ("url" in target) return remote(target, headers, http);
  if ("command" in target) return command(target);
  throw new McpkitError(ErrorCodes.INVALID_SETTING, "Cannot tell how to connect: give a server, a URL, a file path, a command or a transport");
}

function isTransport(value: unknown): value is MessageTransport {
  const v = value as Partial<MessageTransport>;
  return typeof value === "object" && value !== null && typeof v.start === "function" && typeof v.send === "function" && typeof v.close === "function";
}

function remote(target: RemoteTarget, headers: Record<string, string>, options: HttpOptions): TransportPlan {
  const url = new URL(target.url);
  const requestInit = { headers: { ...headers, ...target.headers } };
  // One OAuth layer for both transports, so the SSE fallback reuses what the first attempt obtained.
  const base = options.fetch ?? ((input: string | URL, init?: RequestInit) => fetch(input, init));
  const fetchFn = options.auth === undefined ? options.fetch : authFetch(options.auth, url, base, options.name ?? "mcpkit-client");
  const transportOptions = { requestInit, ...(fetchFn === undefined ? {} : { fetch: fetchFn as FetchLike }) };
  const http = async () => new StreamableHTTPClientTransport(url, transportOptions) as unknown as SdkTransport;
  const sse = async () => new SSEClientTransport(url, transportOptions) as unknown as SdkTransport;
  if (target.transport === "sse") return { label: url.href, open: sse };
  return { label: url.href, open: http, fallback: sse };
}

function command(target: CommandTarget): TransportPlan {
  const label = [target.command, ...(target.args ?? [])].join(" ");
  return {
    label,
    open: async () => {
      const { StdioClientTransport, getDefaultEnvironment } = await import("../protocol/client/stdio.js");
      return new StdioClientTransport({
        command: target.command,
        args: [...(target.args ?? [])],
        env: { ...getDefaultEnvironment(), ...target.env },
        ...(target.cwd === undefined ? {} : { cwd: target.cwd }),
        stderr: target.stderr ?? "inherit",
      }) as unknown as SdkTransport;
    },
  };
}

/** A server file to run: JavaScript with this Node, TypeScript through tsx or jiti, Python with python3. */
export function fileCommand(path: string): CommandTarget {
  const execPath = (globalThis as { process?: { execPath?: string } }).process?.execPath ?? "node";
  if (/\.(m|c)?js$/i.test(path)) return { command: execPath, args: [path] };
  if (/\.py$/i.test(path)) return { command: "python3", args: [path] };
  if (/\.(m|c)?ts$/i.test(path)) {
    const loader = typeScriptLoader();
    if (loader === undefined) {
      throw new McpkitError(
        ErrorCodes.INVALID_SETTING,
        `Cannot run ${path}: install tsx or jiti (npm i -D tsx) so TypeScript servers can be spawned`,
      );
    }
    return { command: execPath, args: ["--import", loader, path] };
  }
  throw new McpkitError(ErrorCodes.INVALID_SETTING, `Cannot tell how to run ${JSON.stringify(path)}: expected a URL or a .js, .mjs, .ts or .py file`);
}

/** The ESM loader to run TypeScript with: tsx if installed, else jiti. */
function typeScriptLoader(): string | undefined {
  for (const specifier of ["tsx", "jiti/register"]) {
    try {
      return import.meta.resolve(specifier);
    } catch {
      // not installed: try the next
    }
  }
  return undefined;
}
