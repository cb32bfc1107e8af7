/**
 * tmcp 1.x, as its READMEs show: `McpServer` with the zod adapter
 * (@tmcp/adapter-zod), `server.tool({ name, description, schema, outputSchema }, handler)`
 * with the `tool.*` return helpers from `tmcp/utils`; `StdioTransport(server).listen()`
 * for stdio; `HttpTransport(server).respond(request)` behind a Node fetch adapter for HTTP.
 *
 * tmcp's HTTP transport has no modes to pick: one transport serves 2026-07-28
 * per-request traffic and 2025-era traffic on the same endpoint. 2025-era
 * requests always get an Mcp-Session-Id (a new one when the request carries
 * none), so "stateless" here means the client just never sends it back.
 * Answers to requests are always request-scoped SSE streams.
 */
import { McpServer } from "tmcp";
import { tool } from "tmcp/utils";
import { ZodJsonSchemaAdapter } from "@tmcp/adapter-zod";
import { StdioTransport } from "@tmcp/transport-stdio";
import { z } from "zod";
import { DESCRIPTIONS, SERVER_INFO, cli, fillerDescription, fillerNames, isMain } from "./common.mjs";

export function build({ tools = 3 } = {}) {
  const server = new McpServer(SERVER_INFO, {
    adapter: new ZodJsonSchemaAdapter(),
    capabilities: { tools: { listChanged: true } },
  });

  const pair = z.object({ a: z.number(), b: z.number() });

  server.tool({ name: "add", description: DESCRIPTIONS.add, schema: pair }, async ({ a, b }) => tool.text(String(a + b)));

  server.tool({ name: "echo", description: DESCRIPTIONS.echo, schema: z.object({ text: z.string() }) }, async ({ text }) => tool.text(text));

  // tool.structured(obj): structuredContent plus the same object as JSON text.
  server.tool(
    { name: "calc", description: DESCRIPTIONS.calc, schema: pair, outputSchema: z.object({ sum: z.number(), product: z.number() }) },
    async ({ a, b }) => tool.structured({ sum: a + b, product: a * b }),
  );

  const filler = z.object({ id: z.string(), count: z.number().optional(), tags: z.array(z.string()).optional() });
  for (const name of fillerNames(tools)) {
    server.tool({ name, description: fillerDescription(name), schema: filler }, async () => tool.text("ok"));
  }
  return server;
}

if (isMain(import.meta.url)) {
  const args = cli();
  const server = build({ tools: args.tools });
  if (args.transport === "stdio") {
    new StdioTransport(server).listen();
  } else {
    const { HttpTransport } = await import("@tmcp/transport-http");
    const { serveFetch } = await import("./node-fetch.mjs"); // srvx / @remix-run/node-fetch-server (the README's choices) are not installed
    // allowedOrigins: [] rejects cross-origin browser requests (requests without Origin pass), as the README advises.
    const transport = new HttpTransport(server, { path: "/mcp", allowedOrigins: [] });
    serveFetch(async (request) => (await transport.respond(request)) ?? new Response("Not Found", { status: 404 }), args);
  }
}
