/**
 * mcpkit, written as docs/tools.md and docs/serving.md show: `mcp.tool(options, handler)`
 * with zod schemas, `mcp.run()` for stdio, `mcp.listen()` for HTTP.
 *
 * Imports the built package (run `npm run build` in the repository root first).
 */
import { z } from "zod";
import { FastMCP } from "../../dist/index.js";
import { DESCRIPTIONS, LOG, SERVER_INFO, cli, fillerDescription, fillerNames, isMain, onShutdown, ready } from "./common.mjs";

/** The server with its tools registered; nothing is served until run/listen. */
export function build({ tools = 3 } = {}) {
  const mcp = new FastMCP({ ...SERVER_INFO, logLevel: LOG ? "info" : "silent" });

  const pair = z.object({ a: z.number(), b: z.number() });

  // A number returned from a handler becomes one text block: "5".
  mcp.tool({ name: "add", description: DESCRIPTIONS.add, input: pair }, ({ a, b }) => a + b);

  mcp.tool({ name: "echo", description: DESCRIPTIONS.echo, input: z.object({ text: z.string() }) }, ({ text }) => text);

  // A plain object becomes structuredContent plus the same object as JSON text.
  mcp.tool(
    { name: "calc", description: DESCRIPTIONS.calc, input: pair, output: z.object({ sum: z.number(), product: z.number() }) },
    ({ a, b }) => ({ sum: a + b, product: a * b }),
  );

  const filler = z.object({ id: z.string(), count: z.number().optional(), tags: z.array(z.string()).optional() });
  for (const name of fillerNames(tools)) {
    mcp.tool({ name, description: fillerDescription(name), input: filler }, () => "ok");
  }
  return mcp;
}

/** HTTP options per benchmark mode (docs/serving.md). */
function httpOptions(mode) {
  // Plain JSON answers (no SSE) in every mode; the three tools send no mid-call notifications.
  const common = { jsonResponse: true };
  // Sessionful 2025-era serving. maxSessions is raised from its default (1000, past which new
  // sessions get 503) because the memory suite holds 1,000+ sessions open; the other servers have no cap.
  if (mode === "sessions") return { ...common, sessions: { maxSessions: 100_000 } };
  return { ...common, stateless: true }; // the default: modern requests and stateless 2025-era requests on one endpoint
}

if (isMain(import.meta.url)) {
  const args = cli();
  const mcp = build({ tools: args.tools });
  if (args.transport === "stdio") {
    await mcp.run({ transport: "stdio" });
  } else {
    const handle = await mcp.listen({ transport: "http", host: args.host, port: args.port, ...httpOptions(args.mode) });
    onShutdown(() => mcp.close());
    ready(new URL(handle.url).port);
  }
}
