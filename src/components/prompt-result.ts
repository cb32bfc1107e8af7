import { ErrorCodes, McpkitError } from "../errors/index.js";
import type { GetPromptResult, PromptMessage } from "../protocol/index.js";
import { isContentBlock, jsonText } from "./content.js";

/** A prompt message's role. */
export type Role = "user" | "assistant";

/**
 * One prompt message. Strings become text; content blocks pass through;
 * anything else is sent as JSON text.
 *
 * @example
 * ```ts
 * return [message("You are a reviewer."), message("Looks good.", "assistant")];
 * ```
 */
export function message(content: unknown, role: Role = "user"): PromptMessage {
  if (typeof content === "string") return { role, content: { type: "text", text: content } };
  if (isContentBlock(content)) return { role, content } as PromptMessage;
  return { role, content: { type: "text", text: jsonText(content) } };
}

/** An explicit prompt result, with a description and result-level `_meta`. */
export class PromptResult {
  constructor(
    readonly messages: readonly (PromptMessage | string)[],
    readonly options: { description?: string; meta?: Record<string, unknown> } = {},
  ) {}
}

function isPromptMessage(value: unknown): value is PromptMessage {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (v.role === "user" || v.role === "assistant") && isContentBlock(v.content);
}

/** Turn what a prompt handler returned into `prompts/get` output. */
export function toPromptResult(value: unknown, description: string | undefined): GetPromptResult {
  if (value instanceof PromptResult) {
    const desc = value.options.description ?? description;
    return {
      messages: value.messages.map(toMessage),
      ...(desc === undefined ? {} : { description: desc }),
      ...(value.options.meta === undefined ? {} : { _meta: value.options.meta }),
    };
  }
  const items = Array.isArray(value) ? value : [value];
  if (value === undefined || value === null) {
    throw new McpkitError(ErrorCodes.INVALID_RESULT, "A prompt returned nothing; return a string, messages, or a PromptResult");
  }
  return { messages: items.map(toMessage), ...(description === undefined ? {} : { description }) };
}

function toMessage(item: unknown): PromptMessage {
  return isPromptMessage(item) ? item : message(item);
}
