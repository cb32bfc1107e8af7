/**
 * The client half of the SDK, behind the port: mcpkit's `Client` builds on
 * these and nothing else outside this folder imports the SDK client.
 */
export {
  Client as SdkClient,
  SSEClientTransport,
  StreamableHTTPClientTransport,
  ProtocolError as SdkProtocolError,
  SdkError as SdkClientError,
  SdkErrorCode as SdkClientErrorCode,
  type ClientOptions as SdkClientOptions,
  type McpSubscription,
  type OAuthClientProvider,
  type RequestOptions as SdkRequestOptions,
  type Transport as SdkTransport,
} from "@modelcontextprotocol/client";
