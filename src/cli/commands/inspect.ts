import { defineCommand } from "citty";
import { Client } from "../../client/index.js";
import { guarded, out } from "../output.js";
import { loadServer } from "../load-server.js";

/**
 * `mcpkit inspect server.ts`: what a server offers. The JSON form is stable:
 * `{ server: { name, version, title?, instructions? }, protocolVersion, capabilities,
 * tools, resources, resourceTemplates, prompts }` with the wire descriptions.
 */
export const inspect = defineCommand({
  meta: {
    name: "inspect",
    description: "Show a server's tools, resources, templates and prompts. (e.g. mcpkit inspect server.ts)",
  },
  args: {
    server: { type: "positional", description: "server file, optionally with :exportName", required: true },
    format: { type: "string", description: "text or json", default: "text" },
  },
  run: ({ args }) =>
    guarded(async () => {
      const server = await loadServer(args.server);
      const client = await Client.connect(server, { name: "mcpkit-inspect" });
      try {
        const report = {
          server: client.serverInfo,
          ...(client.instructions === undefined ? {} : { instructions: client.instructions }),
          protocolVersion: client.protocolVersion,
          capabilities: client.serverCapabilities,
          tools: await client.listTools(),
          resources: await client.listResources(),
          resourceTemplates: await client.listResourceTemplates(),
          prompts: await client.listPrompts(),
        };
        if (args.format === "json") out(JSON.stringify(report, null, 2));
        else out(text(report));
      } finally {
        await client.close();
        await server.close();
      }
    }),
});

function text(report: {
  server: { name?: string; version?: string } | undefined;
  tools: { name: string; description?: string | undefined }[];
  resources: { uri: string; description?: string | undefined }[];
  resourceTemplates: { uriTemplate: string; description?: string | undefined }[];
  prompts: { name: string; description?: string | undefined }[];
}): string {
  const section = (title: string, items: { id: string; description?: string | undefined }[]) =>
    `${title} (${items.length})\n${items.map((i) => `  ${i.id}${i.description ? ` - ${i.description}` : ""}`).join("\n")}`.trimEnd();
  return [
    `${report.server?.name ?? "server"} ${report.server?.version ?? ""}`.trim(),
    section("Tools", report.tools.map((t) => ({ id: t.name, description: t.description }))),
    section("Resources", report.resources.map((r) => ({ id: r.uri, description: r.description }))),
    section("Resource templates", report.resourceTemplates.map((t) => ({ id: t.uriTemplate, description: t.description }))),
    section("Prompts", report.prompts.map((p) => ({ id: p.name, description: p.description }))),
  ].join("\n\n");
}
