/** The `mcpkit` command line (Node only; the binary is `dist/cli/bin.js`). */
export { main } from "./main.js";
export { loadServer, parseServerSpec, isServer, type ServerSpec } from "./load-server.js";
export { parseToolArgs } from "./tool-args.js";
