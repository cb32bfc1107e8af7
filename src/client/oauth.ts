/**
 * OAuth for the mcpkit client: the authorization-code flow with PKCE (with
 * Client ID Metadata Documents, dynamic registration or a pre-registered
 * client; token refresh; scope step-up) and the client-credentials grant.
 * Discovery, registration and token requests are the SDK's `auth()`
 * machinery; this file holds the public options and the token store.
 *
 * @example
 * ```ts
 * // Interactive: opens the browser, listens for the redirect on 127.0.0.1.
 * await using client = await Client.connect("https://example.com/mcp", { auth: "oauth" });
 *
 * // Keep tokens between runs, ask for scopes, use a registered client.
 * const oauth = new OAuth({ scopes: ["files:read"], clientId: "my-app", store: myStore });
 * await using again = await Client.connect("https://example.com/mcp", { auth: oauth });
 * ```
 */
import { ErrorCodes, McpkitError } from "../errors/index.js";
import type { OAuthClientInformationFull, OAuthClientMetadata, OAuthTokens } from "../protocol/client/index.js";

/** The OAuth token response (RFC 6749 §5.1) as stored, with the issuing authorization server. */
export type OAuthTokenSet = OAuthTokens & { issuer?: string | undefined };

/** A client registration (RFC 7591 response, a CIMD URL or a pre-registered id), with its authorization server. */
export type OAuthClientRegistration = Partial<OAuthClientInformationFull> & { client_id: string; client_secret?: string | undefined; issuer?: string | undefined };

/** The metadata sent when registering dynamically (RFC 7591). */
export type OAuthClientMetadataFields = OAuthClientMetadata;

/** What a {@link TokenStore} keeps for one MCP server. */
export interface StoredOAuth {
  tokens?: OAuthTokenSet;
  /** When the access token expires (epoch milliseconds), if the server said. */
  expiresAt?: number;
  /** The registration obtained dynamically or from a metadata document. */
  client?: OAuthClientRegistration;
  /** The `clientId` option in force when `client` was saved: a change of configuration discards the saved client. */
  configuredClientId?: string;
}

/**
 * Where OAuth state outlives a connection: tokens and the client
 * registration, one record per MCP server URL. Implement it over a file, a
 * keychain or a database to stay logged in between runs; values are plain
 * JSON. Treat them as secrets.
 */
export interface TokenStore {
  get(key: string): Promise<StoredOAuth | undefined> | StoredOAuth | undefined;
  set(key: string, value: StoredOAuth): Promise<void> | void;
  delete(key: string): Promise<void> | void;
}

/** The default {@link TokenStore}: in this process's memory, gone when it exits. */
export class MemoryTokenStore implements TokenStore {
  private readonly records = new Map<string, StoredOAuth>();

  get(key: string): StoredOAuth | undefined {
    const record = this.records.get(key);
    return record === undefined ? undefined : structuredClone(record);
  }

  set(key: string, value: StoredOAuth): void {
    this.records.set(key, structuredClone(value));
  }

  delete(key: string): void {
    this.records.delete(key);
  }
}

/**
 * Completes the authorization step without a browser: receives the
 * authorization URL and returns the URL the authorization server redirected
 * to (carrying `code`, `state` and, per RFC 9207, `iss`). For tests, CI and
 * authorization servers that approve without a user.
 */
export type AuthorizationRedirect = (authorizationUrl: URL) => Promise<string | URL> | string | URL;

/** How the client authenticates at the token endpoint. */
export type TokenEndpointAuthMethod = "client_secret_basic" | "client_secret_post" | "none";

/** Options for the authorization-code flow. Every field is optional: `new OAuth()` logs in interactively. */
export interface OAuthOptions {
  /** Scopes to request, in addition to those the server challenges for. Default: what the server asks for or advertises. */
  scopes?: string | readonly string[];
  /** The `client_name` to register. Default the client's `name`. */
  clientName?: string;
  /** A client registered with the authorization server beforehand: skips dynamic registration. */
  clientId?: string;
  /** The secret of the pre-registered client (confidential clients). */
  clientSecret?: string;
  /** How the pre-registered client authenticates at the token endpoint. Default: the best method the server supports. */
  tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
  /**
   * The authorization server (`issuer`) the pre-registered client belongs to:
   * its credentials are then never sent to another one. Without it they go to
   * whichever authorization server the MCP server names.
   */
  issuer?: string;
  /**
   * The HTTPS URL of this client's metadata document (a Client ID Metadata
   * Document). Used as the `client_id` when the authorization server supports
   * it (`client_id_metadata_document_supported`); dynamic registration otherwise.
   */
  clientMetadataUrl?: string;
  /** Extra metadata for dynamic registration (`logo_uri`, `client_uri`, `software_id`...). */
  clientMetadata?: Partial<OAuthClientMetadataFields>;
  /** Where tokens and registrations are kept. Default a {@link MemoryTokenStore}. */
  store?: TokenStore;
  /**
   * Complete the authorization step yourself (headless). Without it the
   * client listens on 127.0.0.1 for the redirect and opens the browser.
   */
  redirect?: AuthorizationRedirect;
  /** The redirect URI when `redirect` is given. Default `http://127.0.0.1/callback`. */
  redirectUrl?: string;
  /**
   * The loopback callback port. Default 0: a free port chosen at each login
   * (RFC 8252 §7.3 requires authorization servers to accept any loopback port;
   * fix one for servers that do not).
   */
  callbackPort?: number;
  /** The loopback callback path. Default `/callback`. */
  callbackPath?: string;
  /** How long to wait for the user to finish logging in. Default 300 000 ms. */
  callbackTimeoutMs?: number;
  /**
   * What to do with the authorization URL in the interactive flow: `true`
   * (default) prints it to stderr and opens the system browser, `false` only
   * prints it, a function receives it instead.
   */
  openBrowser?: boolean | ((authorizationUrl: URL) => void | Promise<void>);
}

/** Options shared by both client-credentials methods. */
interface ClientCredentialsBase {
  grant: "client_credentials";
  clientId: string;
  /** Scopes to request. */
  scopes?: string | readonly string[];
  /** The authorization server (`issuer`) the credentials belong to: they are never sent to another one. */
  issuer?: string;
}

/** Client credentials with a shared secret (`client_secret_basic` or `client_secret_post`). */
export interface ClientSecretCredentials extends ClientCredentialsBase {
  clientSecret: string;
  /** Default `client_secret_basic`. */
  tokenEndpointAuthMethod?: "client_secret_basic" | "client_secret_post";
}

/** Client credentials proven with a signed JWT (`private_key_jwt`, RFC 7523). */
export interface PrivateKeyJwtCredentials extends ClientCredentialsBase {
  /** A PEM string, raw key bytes or a JWK. */
  privateKey: string | Uint8Array | Record<string, unknown>;
  /** The signing algorithm, e.g. `ES256` or `RS256`. */
  algorithm: string;
  /** Extra claims for the assertion. */
  claims?: Record<string, unknown>;
}

/** Machine-to-machine authentication: the OAuth client-credentials grant. */
export type ClientCredentialsOptions = ClientSecretCredentials | PrivateKeyJwtCredentials;

/**
 * How {@link Client.connect} authenticates to an HTTP server:
 * - `"oauth"`: the interactive authorization-code flow with defaults;
 * - an {@link OAuth} instance or {@link OAuthOptions}: the same, configured;
 * - {@link ClientCredentialsOptions}: the client-credentials grant.
 */
export type ClientAuth = "oauth" | OAuth | OAuthOptions | ClientCredentialsOptions;

/**
 * The authorization-code flow with PKCE, configured once and reusable across
 * connections (they share its token store, so a second connect to the same
 * server reuses the tokens).
 */
export class OAuth {
  /** The resolved store. */
  readonly store: TokenStore;

  constructor(readonly options: OAuthOptions = {}) {
    const { clientMetadataUrl, callbackPort } = options;
    if (clientMetadataUrl !== undefined && !isMetadataDocumentUrl(clientMetadataUrl)) {
      throw new McpkitError(ErrorCodes.INVALID_SETTING, `clientMetadataUrl must be an https URL with a path, got ${JSON.stringify(clientMetadataUrl)}`);
    }
    if (callbackPort !== undefined && !(Number.isInteger(callbackPort) && callbackPort >= 0 && callbackPort <= 65_535)) {
      throw new McpkitError(ErrorCodes.INVALID_SETTING, `callbackPort must be an integer from 0 to 65535, got ${callbackPort}`);
    }
    if (options.clientSecret !== undefined && options.clientId === undefined) {
      throw new McpkitError(ErrorCodes.INVALID_SETTING, "clientSecret needs clientId");
    }
    this.store = options.store ?? new MemoryTokenStore();
  }

  /** The scopes option as one space-separated string (or undefined). */
  get scope(): string | undefined {
    return scopeString(this.options.scopes);
  }

  /** What is stored for this server: tokens, expiry and registration. */
  async stored(serverUrl: string | URL): Promise<StoredOAuth | undefined> {
    return (await this.store.get(storeKey(serverUrl))) ?? undefined;
  }

  /** Forget the tokens and registration stored for this server (log out locally). */
  async logout(serverUrl: string | URL): Promise<void> {
    await this.store.delete(storeKey(serverUrl));
  }
}

/** Normalize the ClientOptions `auth` value. */
export function resolveAuth(auth: ClientAuth): OAuth | ClientCredentialsOptions {
  if (auth === "oauth") return new OAuth();
  if (auth instanceof OAuth) return auth;
  if ("grant" in auth) {
    if (auth.grant !== "client_credentials") throw new McpkitError(ErrorCodes.INVALID_SETTING, `Unknown OAuth grant ${JSON.stringify(auth.grant)}`);
    return auth;
  }
  return new OAuth(auth);
}

/** The store key of a server: its URL without query or fragment. */
export function storeKey(serverUrl: string | URL): string {
  const url = new URL(serverUrl);
  return `${url.origin}${url.pathname}`;
}

/** Scopes as the space-separated string OAuth sends. */
export function scopeString(scopes: string | readonly string[] | undefined): string | undefined {
  const text = typeof scopes === "string" ? scopes.trim() : scopes?.join(" ").trim();
  return text === undefined || text === "" ? undefined : text;
}

function isMetadataDocumentUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.pathname !== "/" && url.pathname !== "";
  } catch {
    return false;
  }
}
