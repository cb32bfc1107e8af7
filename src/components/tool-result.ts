import { ErrorCodes, McpkitError } from "../errors/index.js";
import type { CallToolResult, ContentBlock } from "../protocol/index.js";
import { isContentBlock, jsonText, toContentBlock } from "./content.js";

/** The fields of an explicit tool result. */
export interface ToolResultInit {
  /** Content blocks (or strings, which become text). */
  content?: readonly (ContentBlock | string)[] | ContentBlock | string;
  /** Structured output; also sent as JSON text when `content` is not given. */
  structuredContent?: Record<string, unknown>;
  /** Result-level `_meta`. */
  meta?: Record<string, unknown>;
  /** An error the model can act on, returned without throwing. */
  isError?: boolean;
}

/**
 * An explicit tool result, for full control over content, structured output
 * and `_meta` (custom serialisation, errors returned as values).
 *
 * @example
 * ```ts
 * return new ToolResult({ content: "3 rows", structuredContent: { rows }, meta: { cached: true } });
 * ```
 */
export class ToolResult {
  readonly content: readonly ContentBlock[];
  readonly structuredContent: Record<string, unknown> | undefined;
  readonly meta: Record<string, unknown> | undefined;
  readonly isError: boolean;

  constructor(init: ToolResultInit) {
    if (init.content === undefined && init.structuredContent === undefined) {
      throw new McpkitError(ErrorCodes.INVALID_RESULT, "ToolResult needs content, structuredContent, or both");
    }
    const items = init.content === undefined ? undefined : Array.isArray(init.content) ? init.content : [init.content];
    this.content = items === undefined ? [{ type: "text", text: jsonText(init.structuredContent) }] : items.map(toContentBlock);
    this.structuredContent = init.structuredContent;
    this.meta = init.meta;
    this.isError = init.isError ?? false;
  }

  /** The wire form. */
  toJSON(): CallToolResult {
    return {
      content: [...this.content],
      ...(this.structuredContent === undefined ? {} : { structuredContent: this.structuredContent }),
      ...(this.meta === undefined ? {} : { _meta: this.meta }),
      ...(this.isError ? { isError: true } : {}),
    };
  }
}

/** How a tool's output schema shapes structured results. */
export interface OutputShape {
  /** The tool has an output schema. */
  readonly declared: boolean;
  /** The declared schema was not an object and is wrapped as `{ result }`. */
  readonly wrapped: boolean;
}

/**
 * Turn whatever a tool handler returned into a `CallToolResult`:
 * strings become text; objects become structured content plus JSON text;
 * primitives and arrays are structured (as `{ result }`) only when an output
 * schema says so, otherwise JSON text; content blocks, media helpers and
 * bytes pass as content, as do lists of them (strings in such a list are text).
 */
export function toToolResult(value: unknown, shape: OutputShape): CallToolResult {
  if (value instanceof ToolResult) return value.toJSON();
  // A wrapped schema may allow null: it is then a value like any other.
  if (value === undefined || (value === null && !shape.wrapped)) return { content: [] };
  if (shape.wrapped) {
    return { content: [asText(value)], structuredContent: { result: value } };
  }
  if (typeof value === "string") return { content: [{ type: "text", text: value }] };
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return { content: [{ type: "text", text: String(value) }] };
  }
  if (value instanceof Uint8Array || value instanceof ArrayBuffer || isContentBlock(value)) {
    return { content: [toContentBlock(value)] };
  }
  if (Array.isArray(value)) {
    // A list holding content blocks (with strings as captions) is content; a
    // list of plain values is data, sent as one JSON text block.
    if (value.some(isBlockOrBytes) && value.every(isContentItem)) return { content: value.map(toContentBlock) };
    return { content: [{ type: "text", text: jsonText(value) }] };
  }
  if (typeof value === "object") {
    const structured = JSON.parse(jsonText(value)) as unknown;
    // Objects with a toJSON (a Date...) may serialise to a string or an array: structured content must be an object.
    if (typeof structured !== "object" || structured === null || Array.isArray(structured)) {
      return { content: [{ type: "text", text: jsonText(structured) }] };
    }
    return { content: [{ type: "text", text: jsonText(structured) }], structuredContent: structured as Record<string, unknown> };
  }
  throw new McpkitError(ErrorCodes.INVALID_RESULT, `A tool returned a ${typeof value}, which has no MCP form`);
}

function isBlockOrBytes(item: unknown): boolean {
  return isContentBlock(item) || item instanceof Uint8Array;
}

function isContentItem(item: unknown): boolean {
  return typeof item === "string" || isContentBlock(item) || item instanceof Uint8Array || item instanceof ArrayBuffer;
}

function asText(value: unknown): ContentBlock {
  return { type: "text", text: typeof value === "string" ? value : jsonText(value) };
}
