/**
 * One OAuth login against one MCP server: the SDK's `OAuthClientProvider`
 * contract, backed by an {@link OAuth} configuration and its token store. The
 * PKCE verifier, `state` and discovery results stay in memory (they only
 * need to survive one authorization round trip, which happens in-process).
 */
import { ErrorCodes, McpkitError } from "../errors/index.js";
import type {
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from "../protocol/client/index.js";
import { openBrowser, startCallbackServer, type CallbackServer } from "./oauth-callback.js";
import { storeKey, type OAuth, type StoredOAuth } from "./oauth.js";

const DEFAULT_REDIRECT = "http://127.0.0.1/callback";

/** The authorization response the flow redeems. */
export interface AuthorizationCallback {
  readonly code: string;
  readonly iss: string | undefined;
}

/** The SDK-facing provider for one login (internal to the client; see the module comment). */
export class OAuthSession implements OAuthClientProvider {
  private readonly key: string;
  private verifier: string | undefined;
  private discovery: OAuthDiscoveryState | undefined;
  private expectedState: string | undefined;
  private callback: AuthorizationCallback | undefined;
  private loopback: CallbackServer | undefined;
  /** The Client ID Metadata Document URL, used as `client_id` where the authorization server supports it. */
  readonly clientMetadataUrl?: string;

  constructor(
    private readonly oauth: OAuth,
    serverUrl: URL,
    private readonly defaultClientName: string,
  ) {
    this.key = storeKey(serverUrl);
    if (oauth.options.clientMetadataUrl !== undefined) this.clientMetadataUrl = oauth.options.clientMetadataUrl;
  }

  get redirectUrl(): string {
    return this.loopback?.redirectUrl ?? this.oauth.options.redirectUrl ?? DEFAULT_REDIRECT;
  }

  get clientMetadata(): OAuthClientMetadata {
    const { options } = this.oauth;
    const scope = this.oauth.scope;
    return {
      client_name: options.clientName ?? this.defaultClientName,
      redirect_uris: [this.redirectUrl],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      ...(options.tokenEndpointAuthMethod === undefined ? {} : { token_endpoint_auth_method: options.tokenEndpointAuthMethod }),
      ...(scope === undefined ? {} : { scope }),
      ...options.clientMetadata,
    } as OAuthClientMetadata;
  }

  state(): string {
    this.expectedState = randomToken();
    return this.expectedState;
  }

  async clientInformation(): Promise<StoredOAuthClientInformation | undefined> {
    const { clientId, clientSecret, tokenEndpointAuthMethod, issuer } = this.oauth.options;
    const record = await this.read();
    if (record.client !== undefined && record.configuredClientId === clientId) {
      return (record.client.client_id === clientId && clientSecret !== undefined ? { ...record.client, client_secret: clientSecret } : record.client) as StoredOAuthClientInformation;
    }
    if (clientId === undefined) return undefined;
    return {
      client_id: clientId,
      ...(clientSecret === undefined ? {} : { client_secret: clientSecret }),
      ...(tokenEndpointAuthMethod === undefined ? {} : { token_endpoint_auth_method: tokenEndpointAuthMethod }),
      ...(issuer === undefined ? {} : { issuer }),
      redirect_uris: [this.redirectUrl],
    } as StoredOAuthClientInformation;
  }

  async saveClientInformation(client: StoredOAuthClientInformation): Promise<void> {
    const { configuredClientId: _previous, ...record } = await this.read();
    const { clientId } = this.oauth.options;
    await this.write({ ...record, client: client as NonNullable<StoredOAuth["client"]>, ...(clientId === undefined ? {} : { configuredClientId: clientId }) });
  }

  async tokens(): Promise<StoredOAuthTokens | undefined> {
    return (await this.read()).tokens as StoredOAuthTokens | undefined;
  }

  async saveTokens(tokens: StoredOAuthTokens): Promise<void> {
    const record = await this.read();
    const { expiresAt: _previous, ...rest } = record;
    const expiresIn = typeof tokens.expires_in === "number" ? tokens.expires_in : undefined;
    await this.write({ ...rest, tokens, ...(expiresIn === undefined ? {} : { expiresAt: Date.now() + expiresIn * 1000 }) });
  }

  /** Whether the stored access token has expired (with a 30 s margin) and can be refreshed. */
  async refreshDue(): Promise<boolean> {
    const record = await this.read();
    return record.tokens?.refresh_token !== undefined && record.expiresAt !== undefined && record.expiresAt - 30_000 <= Date.now();
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    if (this.verifier === undefined) throw new McpkitError(ErrorCodes.AUTH_FAILED, "No PKCE code verifier: the authorization was not started by this client");
    return this.verifier;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.discovery = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.discovery;
  }

  async invalidateCredentials(scope: "all" | "client" | "tokens" | "verifier" | "discovery"): Promise<void> {
    if (scope === "all" || scope === "verifier") this.verifier = undefined;
    if (scope === "all" || scope === "discovery") this.discovery = undefined;
    if (scope === "verifier" || scope === "discovery") return;
    const { tokens, expiresAt, client, configuredClientId } = await this.read();
    const kept: StoredOAuth = {};
    if (scope === "client" && tokens !== undefined) Object.assign(kept, { tokens }, expiresAt === undefined ? {} : { expiresAt });
    if (scope === "tokens" && client !== undefined) Object.assign(kept, { client }, configuredClientId === undefined ? {} : { configuredClientId });
    await this.write(kept);
  }

  /** Listen for the redirect (interactive flow without a `redirect` hook). Called before each authorization. */
  async prepare(): Promise<void> {
    this.callback = undefined;
    const { redirect, callbackPort, callbackPath } = this.oauth.options;
    if (redirect !== undefined || this.loopback !== undefined) return;
    this.loopback = await startCallbackServer({
      ...(callbackPort === undefined ? {} : { port: callbackPort }),
      ...(callbackPath === undefined ? {} : { path: callbackPath }),
    });
  }

  /** Stop listening for the redirect. */
  async finish(): Promise<void> {
    const loopback = this.loopback;
    this.loopback = undefined;
    await loopback?.close();
  }

  /** The authorization response received by `redirectToAuthorization`, once. */
  takeCallback(): AuthorizationCallback | undefined {
    const callback = this.callback;
    this.callback = undefined;
    return callback;
  }

  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    const { redirect, openBrowser: open = true, callbackTimeoutMs } = this.oauth.options;
    let params: URLSearchParams;
    if (redirect !== undefined) {
      params = new URL(await redirect(authorizationUrl)).searchParams;
    } else {
      const loopback = this.loopback;
      if (loopback === undefined) throw new McpkitError(ErrorCodes.AUTH_FAILED, "The OAuth callback server is not running");
      const waiting = loopback.waitForCallback(callbackTimeoutMs);
      await present(authorizationUrl, open);
      params = await waiting;
    }
    this.callback = this.checkCallback(params, redirect === undefined);
  }

  /** Check `state` (CSRF) and `error`, keep `code` and `iss`. */
  private checkCallback(params: URLSearchParams, stateRequired: boolean): AuthorizationCallback {
    const state = params.get("state");
    if ((state !== null || stateRequired) && state !== this.expectedState) {
      throw new McpkitError(ErrorCodes.AUTH_FAILED, "The OAuth callback's state does not match this authorization request");
    }
    const error = params.get("error");
    if (error !== null) throw new McpkitError(ErrorCodes.AUTH_FAILED, `The authorization server refused the authorization: ${error}`);
    const code = params.get("code");
    if (code === null || code === "") throw new McpkitError(ErrorCodes.AUTH_FAILED, "The OAuth callback carried no authorization code");
    return { code, iss: params.get("iss") ?? undefined };
  }

  private async read(): Promise<StoredOAuth> {
    return (await this.oauth.store.get(this.key)) ?? {};
  }

  private async write(record: StoredOAuth): Promise<void> {
    await this.oauth.store.set(this.key, record);
  }
}

async function present(url: URL, open: boolean | ((url: URL) => void | Promise<void>)): Promise<void> {
  if (typeof open === "function") {
    await open(url);
    return;
  }
  const opened = open && (await openBrowser(url.href));
  const stderr = (globalThis as { process?: { stderr?: { write(text: string): unknown } } }).process?.stderr;
  const message = opened ? `Complete the login in your browser, or open:\n  ${url.href}\n` : `Open this URL to log in:\n  ${url.href}\n`;
  stderr?.write(message);
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}
