export { createApp, rpcError, type AppSettings, type CustomRoute } from "./app.js";
export { loadHono } from "./hono-loader.js";
export { InMemoryEventStore, type EventStore } from "./event-store.js";
export { readBoundedBody, exceedsJsonDepth, type BodyRead } from "./limits.js";
export {
  LOCALHOST_NAMES,
  isLoopback,
  type HttpOptions,
  type SessionSettings,
  type CorsOptions,
} from "./options.js";
