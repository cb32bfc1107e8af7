/**
 * The protocol port: the only folder that imports the MCP SDK. Everything
 * else talks to MCP through what this file exports.
 */
export type * from "./wire.js";
export {
  InputRequiredInterrupt,
  type HostMethod,
  type InputAsk,
  type InputKind,
  type ProtocolCall,
  type ProtocolEra,
  type ProtocolHost,
} from "./host.js";
export { Connections, type ChangeEvent } from "./connections.js";
export { createSdkServer, OUTPUT_SCHEMA } from "./sdk-server.js";
export { toProtocolError, WireErrorCodes } from "./error-mapping.js";
export { createLinkedTransports, type MessageTransport } from "./in-memory.js";
export { serveConnection, type ServedConnection } from "./serve-connection.js";
export {
  createHttpServing,
  type EventStore,
  type HttpServing,
  type HttpServingOptions,
  type SessionOptions,
} from "./http-serving.js";
export { standardFromJsonSchema, type SchemaCheck } from "./json-schema.js";
export { requireNow } from "./require-now.js";
export { hostAllowed, hostHeaderAllowed, originAllowed, originHeaderAllowed } from "./dns-rebinding.js";
export type { FastHttpReply, FastHttpRequest } from "./http-exchange.js";
