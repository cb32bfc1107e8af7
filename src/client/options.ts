import type {
  ClientCapabilities,
  CreateMessageRequestParams,
  CreateMessageResult,
  ElicitResult,
  LoggingLevel,
  Root,
} from "../protocol/index.js";
import type { ClientAuth } from "./oauth.js";

/** A `fetch` implementation (the global `fetch` has this shape). */
export type FetchFunction = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** Which protocol era to speak: negotiate (2026 first, 2025 fallback), or pin one. */
export type EraChoice = "auto" | "legacy" | "modern";

/** A log message the server sent. */
export interface LogMessage {
  readonly level: LoggingLevel;
  readonly logger: string | undefined;
  readonly data: unknown;
}

/** A progress report for a request. */
export interface ProgressUpdate {
  readonly progress: number;
  readonly total: number | undefined;
  readonly message: string | undefined;
}

/** The elicitation request the server sent (form or URL mode). */
export type ElicitationRequest = Record<string, unknown> & { readonly message: string; readonly mode?: "form" | "url" };

/** Answers the server's sampling requests. A string is a text reply from a model named "mcpkit-client". */
export type SamplingHandler = (params: CreateMessageRequestParams) => Promise<CreateMessageResult | string> | CreateMessageResult | string;

/** Answers the server's elicitation requests. */
export type ElicitationHandler = (request: ElicitationRequest) => Promise<ElicitResult> | ElicitResult;

/** Options for {@link Client.connect}. */
export interface ClientOptions {
  /** The name this client gives servers. Default `mcpkit-client`. */
  name?: string;
  version?: string;
  /** Default `auto`: modern `server/discover` first, legacy `initialize` as fallback. */
  era?: EraChoice;
  /** Default per-request timeout in milliseconds. Default 60 000. */
  timeoutMs?: number;
  /** The most pages one listing may take before it fails (a repeated cursor ends it early). Default 100. */
  maxPages?: number;
  /** Throw `ToolCallError` when a tool answers `isError` (the default, as FastMCP's client does). */
  raiseOnError?: boolean;
  /** Extra HTTP headers on every request (HTTP targets). */
  headers?: Record<string, string>;
  /** A bearer token sent as `Authorization: Bearer ...` (HTTP targets). */
  bearerToken?: string;
  /**
   * OAuth for HTTP targets (the token replaces `bearerToken` once obtained):
   * `"oauth"` logs in interactively (authorization code + PKCE, browser and a
   * loopback redirect on 127.0.0.1), an `OAuth` instance or `OAuthOptions`
   * configures that flow (scopes, a pre-registered client, a client metadata
   * document, a token store, a headless `redirect`), and
   * `{ grant: "client_credentials", ... }` authenticates a machine client.
   * Tokens are refreshed, and a `403 insufficient_scope` triggers one step-up.
   * An interactive login happens inside the first request, so it counts
   * against `timeoutMs`: raise it if users may take longer than that to log in.
   */
  auth?: ClientAuth;
  /** The `fetch` HTTP targets use (proxies, instrumentation, tests). Default: the global `fetch`. */
  fetch?: FetchFunction;
  /** Receives the server's log messages. */
  onLog?: (message: LogMessage) => void;
  /**
   * Sees every JSON-RPC message the server sends (responses, requests and
   * notifications), before the client handles it: for tracing and debugging.
   * It must not throw; what it returns is ignored.
   */
  onMessage?: (message: Readonly<Record<string, unknown>>) => void;
  /** Receives progress for every request that reports it (per-call `onProgress` also works). */
  onProgress?: (update: ProgressUpdate) => void;
  /** Answers sampling requests; declares the `sampling` capability. */
  sampling?: SamplingHandler;
  /** Answers elicitation requests; declares the `elicitation` capability (form and URL modes). */
  elicitation?: ElicitationHandler;
  /** The roots to expose; declares the `roots` capability. Change them later with `client.setRoots`. */
  roots?: readonly Root[];
  /** Called when the server says a list changed. */
  onListChanged?: (list: "tools" | "resources" | "prompts") => void;
  /** Called when a subscribed resource changed. */
  onResourceUpdated?: (uri: string) => void;
  /** Extra capabilities to declare. */
  capabilities?: ClientCapabilities;
}
