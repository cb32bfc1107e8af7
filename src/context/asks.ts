import type { CreateMessageResult, InputAsk, ModelPreferences, Root, SamplingMessage } from "../protocol/index.js";
import type { SchemaLike } from "../schema/index.js";
import { readElicitation, requestedSchemaFor, type ElicitationResult, type ElicitedData } from "./elicitation.js";

/** One question for the client, and how to read its answer. */
export interface Ask<T> {
  readonly request: InputAsk;
  read(answer: Record<string, unknown>): Promise<T>;
}

/** Options for a sampling question. */
export interface SampleOptions {
  systemPrompt?: string;
  maxTokens?: number;
  temperature?: number;
  stopSequences?: string[];
  modelPreferences?: ModelPreferences | string | readonly string[];
}

/** The outcome of a sampling question. */
export interface SampleResult {
  /** The text of the reply, when it is text. */
  readonly text: string | undefined;
  /** The full `sampling/createMessage` result. */
  readonly result: CreateMessageResult;
}

/**
 * Builders for questions to the client, to ask several at once with
 * `ctx.gather(...)` (one round trip in the modern era).
 */
export const Ask = {
  /** A form for the user; no schema means an approve/deny question. */
  elicit<S extends SchemaLike | undefined = undefined>(message: string, schema?: S): Ask<ElicitationResult<ElicitedData<S>>> {
    return {
      request: { kind: "elicitation", params: { mode: "form", message, requestedSchema: requestedSchemaFor(schema) } },
      read: (answer) => readElicitation(schema as S, answer),
    };
  },

  /** A completion from the client's model. */
  sample(prompt: string | readonly SamplingMessage[], options: SampleOptions = {}): Ask<SampleResult> {
    const messages = typeof prompt === "string" ? [{ role: "user", content: { type: "text", text: prompt } }] : [...prompt];
    const params: Record<string, unknown> = { messages, maxTokens: options.maxTokens ?? 512 };
    if (options.systemPrompt !== undefined) params.systemPrompt = options.systemPrompt;
    if (options.temperature !== undefined) params.temperature = options.temperature;
    if (options.stopSequences !== undefined) params.stopSequences = options.stopSequences;
    if (options.modelPreferences !== undefined) params.modelPreferences = modelPreferences(options.modelPreferences);
    return {
      request: { kind: "sampling", params },
      read: async (answer) => {
        const content = answer.content;
        const first = Array.isArray(content) ? content[0] : content;
        const isText = typeof first === "object" && first !== null && (first as { type?: unknown }).type === "text";
        return { text: isText ? String((first as { text?: unknown }).text) : undefined, result: answer as unknown as CreateMessageResult };
      },
    };
  },

  /** The client's roots. */
  roots(): Ask<Root[]> {
    return {
      request: { kind: "roots", params: {} },
      read: async (answer) => (Array.isArray(answer.roots) ? (answer.roots as Root[]) : []),
    };
  },
};

function modelPreferences(value: ModelPreferences | string | readonly string[]): ModelPreferences {
  if (typeof value === "string") return { hints: [{ name: value }] };
  if (Array.isArray(value)) return { hints: (value as readonly string[]).map((name) => ({ name })) };
  return value as ModelPreferences;
}
