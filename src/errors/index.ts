export { ErrorCodes, type ErrorCode } from "./codes.js";
export {
  McpkitError,
  ToolError,
  ResourceError,
  PromptError,
  NotFoundError,
  ValidationError,
  isClientFacingError,
  type McpkitErrorOptions,
  type ValidationIssue,
} from "./mcpkit-error.js";
