/**
 * The OAuth layer of the HTTP transports: a `fetch` wrapper that sends the
 * access token, and on a `401` (or a `403 insufficient_scope` step-up)
 * authorizes through the SDK's `auth()` — discovery, registration, PKCE,
 * the authorization step, token exchange or refresh — then retries the
 * request once. Concurrent requests share one authorization.
 */
import { ErrorCodes, McpkitError } from "../errors/index.js";
import {
  SdkClientCredentialsProvider,
  SdkPrivateKeyJwtProvider,
  computeScopeUnion,
  extractWWWAuthenticateParams,
  isStrictScopeSuperset,
  sdkAuth,
  type FetchLike,
  type OAuthClientProvider,
  type StoredOAuthClientInformation,
} from "../protocol/client/index.js";
import { OAuthSession } from "./oauth-session.js";
import type { FetchFunction } from "./options.js";
import { resolveAuth, scopeString, type ClientAuth, type ClientCredentialsOptions } from "./oauth.js";

interface AuthorizeOptions {
  resourceMetadataUrl?: URL | undefined;
  scope?: string | undefined;
  forceReauthorization?: boolean;
}

/** Wrap `base` so requests to the MCP server at `serverUrl` carry OAuth tokens. */
export function authFetch(auth: ClientAuth, serverUrl: URL, base: FetchFunction, clientName: string): FetchFunction {
  const resolved = resolveAuth(auth);
  const provider = "grant" in resolved ? credentialsProvider(resolved, clientName) : (new OAuthSession(resolved, serverUrl, clientName) as OAuthClientProvider);
  const configured = "grant" in resolved ? scopeString(resolved.scopes) : resolved.scope;
  const flow = new AuthFlow(provider, serverUrl, base, configured);
  return (input, init) => flow.fetch(input, init);
}

class AuthFlow {
  /** The authorization in progress: concurrent requests wait for it rather than start their own. */
  private pending: Promise<void> | undefined;
  /** Every scope requested so far (a step-up asks for their union, SEP-2350). */
  private requested: string | undefined;
  /** Scope sets a step-up already re-authorized for without success: never again (no authorization loops). */
  private readonly exhausted = new Set<string>();

  constructor(
    private readonly provider: OAuthClientProvider,
    private readonly serverUrl: URL,
    private readonly base: FetchFunction,
    configured: string | undefined,
  ) {
    this.requested = configured;
  }

  async fetch(input: string | URL, init?: RequestInit): Promise<Response> {
    await this.pending?.catch(() => undefined);
    if (this.provider instanceof OAuthSession && (await this.provider.refreshDue())) {
      await this.authorize({ scope: this.requested }).catch(() => undefined);
    }
    let { response, token } = await this.send(input, init);

    if (response.status === 401) {
      const challenge = extractWWWAuthenticateParams(response);
      await drain(response);
      if ((await this.currentToken()) === token) {
        // The token was refused (expired, revoked, or the server moved to another authorization server: SEP-2352).
        if (token !== undefined) await this.provider.invalidateCredentials?.("discovery");
        this.requested = computeScopeUnion(this.requested, challenge.scope);
        await this.authorize({ resourceMetadataUrl: challenge.resourceMetadataUrl, scope: this.requested });
      }
      ({ response, token } = await this.send(input, init));
      if (response.status === 401) {
        await drain(response);
        throw new McpkitError(ErrorCodes.AUTH_FAILED, `${this.serverUrl.href} refused the access token after authorization (HTTP 401)`);
      }
    }

    if (response.status === 403) {
      const challenge = extractWWWAuthenticateParams(response);
      if (challenge.error !== "insufficient_scope") return response;
      await drain(response);
      const granted = (await this.provider.tokens())?.scope;
      const scope = computeScopeUnion(this.requested, granted, challenge.scope);
      const key = normalizeScope(scope);
      if (this.exhausted.has(key)) throw insufficientScope(this.serverUrl, challenge.scope);
      if ((await this.currentToken()) === token) {
        this.requested = scope;
        await this.authorize({ resourceMetadataUrl: challenge.resourceMetadataUrl, scope, forceReauthorization: isStrictScopeSuperset(scope, granted) });
      }
      ({ response } = await this.send(input, init));
      if (response.status === 403 && extractWWWAuthenticateParams(response).error === "insufficient_scope") {
        await drain(response);
        this.exhausted.add(key);
        throw insufficientScope(this.serverUrl, challenge.scope);
      }
    }
    return response;
  }

  private async send(input: string | URL, init: RequestInit | undefined): Promise<{ response: Response; token: string | undefined }> {
    const token = await this.currentToken();
    const headers = new Headers(init?.headers);
    if (token !== undefined) headers.set("authorization", `Bearer ${token}`);
    return { response: await this.base(input, { ...init, headers }), token };
  }

  private async currentToken(): Promise<string | undefined> {
    return (await this.provider.tokens())?.access_token;
  }

  /** Run one authorization (or join the one in progress). */
  private authorize(options: AuthorizeOptions): Promise<void> {
    this.pending ??= this.run(options).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async run(options: AuthorizeOptions): Promise<void> {
    const session = this.provider instanceof OAuthSession ? this.provider : undefined;
    const common = {
      serverUrl: this.serverUrl,
      fetchFn: this.base as FetchLike,
      ...(options.resourceMetadataUrl === undefined ? {} : { resourceMetadataUrl: options.resourceMetadataUrl }),
      ...(options.scope === undefined ? {} : { scope: options.scope }),
    };
    try {
      await session?.prepare();
      let result = await sdkAuth(this.provider, { ...common, ...(options.forceReauthorization === true ? { forceReauthorization: true } : {}) });
      if (result === "REDIRECT") {
        const callback = session?.takeCallback();
        if (callback === undefined) throw new McpkitError(ErrorCodes.AUTH_FAILED, "The authorization step did not complete");
        result = await sdkAuth(this.provider, { ...common, authorizationCode: callback.code, ...(callback.iss === undefined ? {} : { iss: callback.iss }) });
      }
      if (result !== "AUTHORIZED") throw new McpkitError(ErrorCodes.AUTH_FAILED, `Authorization ended with ${String(result)}`);
    } catch (error) {
      if (error instanceof McpkitError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new McpkitError(ErrorCodes.AUTH_FAILED, `OAuth authorization for ${this.serverUrl.href} failed: ${message}`, { cause: error });
    } finally {
      await session?.finish();
    }
  }
}

/** The SDK's client-credentials providers, with `client_secret_post` as an option. */
function credentialsProvider(options: ClientCredentialsOptions, clientName: string): OAuthClientProvider {
  const scope = scopeString(options.scopes);
  const common = {
    clientId: options.clientId,
    clientName,
    ...(scope === undefined ? {} : { scope }),
    ...(options.issuer === undefined ? {} : { expectedIssuer: options.issuer }),
  };
  if ("privateKey" in options) {
    return new SdkPrivateKeyJwtProvider({
      ...common,
      privateKey: options.privateKey,
      algorithm: options.algorithm,
      ...(options.claims === undefined ? {} : { claims: options.claims }),
    }) as OAuthClientProvider;
  }
  const provider = new SdkClientCredentialsProvider({ ...common, clientSecret: options.clientSecret }) as OAuthClientProvider;
  const method = options.tokenEndpointAuthMethod ?? "client_secret_basic";
  const registered = provider.clientInformation.bind(provider);
  // The SDK provider leaves the method to the server's preference; pin the one asked for.
  provider.clientInformation = async (...args) => ({ ...(await registered(...args)), token_endpoint_auth_method: method }) as StoredOAuthClientInformation;
  return provider;
}

function insufficientScope(serverUrl: URL, scope: string | undefined): McpkitError {
  return new McpkitError(
    ErrorCodes.AUTH_FAILED,
    `${serverUrl.href} still answers 403 insufficient_scope${scope === undefined ? "" : ` (needs "${scope}")`} after re-authorization; not retrying`,
  );
}

function normalizeScope(scope: string | undefined): string {
  return [...new Set((scope ?? "").split(" ").filter((s) => s !== ""))].sort().join(" ");
}

async function drain(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}
