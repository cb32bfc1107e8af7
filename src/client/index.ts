/**
 * `mcpkit/client`: one client for any MCP server, in either protocol era.
 *
 * @example
 * ```ts
 * import { Client } from "mcpkit/client";
 * await using client = await Client.connect("https://example.com/mcp");
 * ```
 */
export { Client, type CallOptions, type ToolCallOptions } from "./client.js";
export { ToolCallError, type ToolCallResult } from "./tool-call.js";
export { RemoteError } from "./errors.js";
export { MultiClient } from "./multi.js";
export type {
  ClientOptions,
  EraChoice,
  FetchFunction,
  LogMessage,
  ProgressUpdate,
  ElicitationRequest,
  SamplingHandler,
  ElicitationHandler,
} from "./options.js";
export type { ConnectTarget, CommandTarget, RemoteTarget, McpConfig, InMemoryServer } from "./targets.js";
export {
  OAuth,
  MemoryTokenStore,
  type AuthorizationRedirect,
  type ClientAuth,
  type ClientCredentialsOptions,
  type ClientSecretCredentials,
  type PrivateKeyJwtCredentials,
  type OAuthOptions,
  type OAuthClientMetadataFields,
  type OAuthClientRegistration,
  type OAuthTokenSet,
  type StoredOAuth,
  type TokenEndpointAuthMethod,
  type TokenStore,
} from "./oauth.js";
export { startCallbackServer, openBrowser, type CallbackServer, type CallbackServerOptions } from "./oauth-callback.js";
