/**
 * The OAuth half of the SDK client, behind the port: the `auth()` flow
 * orchestrator (discovery, registration, PKCE, token exchange and refresh),
 * the client-credentials providers and the wire types of OAuth documents.
 * mcpkit's `src/client/oauth*.ts` builds on these.
 */
export {
  auth as sdkAuth,
  computeScopeUnion,
  extractWWWAuthenticateParams,
  isStrictScopeSuperset,
  ClientCredentialsProvider as SdkClientCredentialsProvider,
  PrivateKeyJwtProvider as SdkPrivateKeyJwtProvider,
  type FetchLike,
  type OAuthClientInformationContext,
  type OAuthClientInformationFull,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type OAuthTokens,
  type StoredOAuthClientInformation,
  type StoredOAuthTokens,
} from "@modelcontextprotocol/client";
