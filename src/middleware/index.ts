export {
  runChain,
  OPERATION_HOOKS,
  type Middleware,
  type MiddlewareContext,
  type Hook,
  type Next,
  type CallToolParams,
  type ReadResourceParams,
  type GetPromptParams,
} from "./middleware.js";
