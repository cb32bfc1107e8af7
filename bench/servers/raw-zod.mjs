/**
 * raw-zod: the raw responder, with tool arguments validated by zod schemas.
 * The same work as raw plus what a schema library costs (import and parse),
 * so cold start and per-call cost include zod and nothing else.
 */
import { z } from "zod";
import { ArgumentError, createDispatcher, main } from "./raw-core.mjs";

const PAIR = z.object({ a: z.number(), b: z.number() });
const ECHO = z.object({ text: z.string() });
const FILLER = z.object({ id: z.string(), count: z.number().optional(), tags: z.array(z.string()).optional() });

function parser(schema) {
  return (args) => {
    const parsed = schema.safeParse(args);
    if (!parsed.success) throw new ArgumentError(z.prettifyError(parsed.error));
    return parsed.data;
  };
}

export const check = { pair: parser(PAIR), echo: parser(ECHO), filler: parser(FILLER) };

export function build({ tools = 3 } = {}) {
  return createDispatcher({ tools, check });
}

await main(import.meta.url, build);
