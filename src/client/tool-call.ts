import { ErrorCodes, McpkitError } from "../errors/index.js";
import type { CallToolResult, ContentBlock } from "../protocol/index.js";

/** The outcome of a tool call, with the structured output unwrapped as `data`. */
export interface ToolCallResult {
  readonly content: ContentBlock[];
  readonly structuredContent: unknown;
  /**
   * The structured output as the tool meant it: `structuredContent`, or its
   * `result` when the server wrapped a non-object output (`x-mcpkit-wrap-result`
   * or FastMCP's `x-fastmcp-wrap-result` in the output schema).
   */
  readonly data: unknown;
  readonly isError: boolean;
  readonly meta: Record<string, unknown> | undefined;
}

/** A tool answered `isError`; `result` carries what it sent. */
export class ToolCallError extends McpkitError {
  constructor(
    readonly toolName: string,
    readonly result: ToolCallResult,
  ) {
    super(ErrorCodes.TOOL_CALL_FAILED, `Tool '${toolName}' failed: ${firstText(result.content) ?? "(no message)"}`, {
      data: { content: result.content },
    });
  }
}

function firstText(content: readonly ContentBlock[]): string | undefined {
  for (const block of content) if (block.type === "text") return block.text;
  return undefined;
}

/** Shape a wire result, unwrapping a wrapped structured output. */
export function toToolCallResult(result: CallToolResult, outputSchema: Record<string, unknown> | undefined): ToolCallResult {
  const structured = result.structuredContent as unknown;
  const wrapped = outputSchema !== undefined && (outputSchema["x-mcpkit-wrap-result"] === true || outputSchema["x-fastmcp-wrap-result"] === true);
  const data = wrapped && typeof structured === "object" && structured !== null ? (structured as { result?: unknown }).result : structured;
  return {
    content: (result.content ?? []) as ContentBlock[],
    structuredContent: structured,
    data,
    isError: result.isError === true,
    meta: result._meta as Record<string, unknown> | undefined,
  };
}
