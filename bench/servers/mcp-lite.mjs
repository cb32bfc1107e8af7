/**
 * mcp-lite 0.10, as its README shows: `McpServer` with a zod `schemaAdapter`,
 * `mcp.tool(name, { description, inputSchema, outputSchema, handler })`, and
 * `new StreamableHttpTransport().bind(mcp)`, a fetch handler, behind a Node
 * adapter (the README mounts it in Hono; here it goes straight to Hono's Node
 * adapter, which is what `serve(app)` would run it on).
 *
 * Unsupported: stdio (mcp-lite ships no stdio transport) and the 2026-07-28
 * modern mode (it implements 2025-03-26 and 2025-06-18 only).
 * Sessions: `InMemorySessionAdapter`, as the README's "Stateful Mode".
 */
import { InMemorySessionAdapter, McpServer, StreamableHttpTransport } from "mcp-lite";
import { z } from "zod";
import { DESCRIPTIONS, LOG, SERVER_INFO, cli, fillerDescription, fillerNames, freePort, isMain, unsupported } from "./common.mjs";

const toStderr = (...args) => process.stderr.write(`${args.map(String).join(" ")}\n`);

export function build({ tools = 3 } = {}) {
  const mcp = new McpServer({
    ...SERVER_INFO,
    schemaAdapter: (schema) => z.toJSONSchema(schema),
    // Silent by default (the README's default); BENCH_LOG turns logging on, to stderr.
    ...(LOG ? { logger: { error: toStderr, warn: toStderr, info: toStderr, debug: toStderr } } : {}),
  });

  const pair = z.object({ a: z.number(), b: z.number() });

  mcp.tool("add", {
    description: DESCRIPTIONS.add,
    inputSchema: pair,
    handler: ({ a, b }) => ({ content: [{ type: "text", text: String(a + b) }] }),
  });

  mcp.tool("echo", {
    description: DESCRIPTIONS.echo,
    inputSchema: z.object({ text: z.string() }),
    handler: ({ text }) => ({ content: [{ type: "text", text }] }),
  });

  mcp.tool("calc", {
    description: DESCRIPTIONS.calc,
    inputSchema: pair,
    outputSchema: z.object({ sum: z.number(), product: z.number() }),
    handler: ({ a, b }) => {
      const out = { sum: a + b, product: a * b };
      return { content: [{ type: "text", text: JSON.stringify(out) }], structuredContent: out };
    },
  });

  const filler = z.object({ id: z.string(), count: z.number().optional(), tags: z.array(z.string()).optional() });
  for (const name of fillerNames(tools)) {
    mcp.tool(name, { description: fillerDescription(name), inputSchema: filler, handler: () => ({ content: [{ type: "text", text: "ok" }] }) });
  }
  return mcp;
}

if (isMain(import.meta.url)) {
  const args = cli();
  if (args.transport === "stdio") unsupported("stdio", "mcp-lite 0.10 ships only a fetch-based HTTP transport (StreamableHttpTransport), no stdio transport");
  if (args.mode === "modern") unsupported("modern", "mcp-lite 0.10 implements protocol revisions 2025-03-26 and 2025-06-18 only, not 2026-07-28");

  const mcp = build({ tools: args.tools });
  // The README: always set allowedHosts when serving locally. Host headers carry the port, so it is chosen first.
  const port = args.port === 0 ? await freePort(args.host) : args.port;
  const transport = new StreamableHttpTransport({
    allowedHosts: [`${args.host}:${port}`, `localhost:${port}`],
    ...(args.mode === "sessions" ? { sessionAdapter: new InMemorySessionAdapter({ maxEventBufferSize: 1024 }) } : {}),
  });
  const handler = transport.bind(mcp);
  const { serveFetch } = await import("./node-fetch.mjs");
  serveFetch((request) => (request.url.endsWith("/mcp") ? handler(request) : new Response("Not Found", { status: 404 })), { host: args.host, port });
}
