/**
 * raw: no MCP library and no schema library. Arguments are checked with typeof,
 * the least a correct server does. The physical limit the frameworks are held to.
 */
import { ArgumentError, createDispatcher, main } from "./raw-core.mjs";

export const check = {
  pair(args) {
    if (typeof args.a !== "number" || typeof args.b !== "number") throw new ArgumentError("a and b must be numbers");
    return args;
  },
  echo(args) {
    if (typeof args.text !== "string") throw new ArgumentError("text must be a string");
    return args;
  },
  filler(args) {
    if (typeof args.id !== "string") throw new ArgumentError("id must be a string");
    if (args.count !== undefined && typeof args.count !== "number") throw new ArgumentError("count must be a number");
    if (args.tags !== undefined && (!Array.isArray(args.tags) || !args.tags.every((t) => typeof t === "string"))) {
      throw new ArgumentError("tags must be an array of strings");
    }
    return args;
  },
};

export function build({ tools = 3 } = {}) {
  return createDispatcher({ tools, check });
}

await main(import.meta.url, build);
