import { defineCommand } from "citty";
import { serveArgs } from "../serve-args.js";
import { guarded, CliError } from "../output.js";
import { loadServer } from "../load-server.js";
import { loadEnvFile } from "../env-file.js";

/** `mcpkit run server.ts[:export]`: serve a server file over stdio or HTTP. */
export const run = defineCommand({
  meta: {
    name: "run",
    description: "Run a server file over stdio (default) or HTTP. (e.g. mcpkit run server.ts)",
  },
  args: {
    ...serveArgs,
    transport: { type: "string", description: "stdio or http", default: "stdio" },
  },
  run: ({ args }) =>
    guarded(async () => {
      if (args.transport !== "stdio" && args.transport !== "http") throw new CliError(`--transport must be stdio or http, got '${args.transport}'`);
      const port = Number(args.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a port number, got '${args.port}'`);
      if (/^https?:\/\//i.test(args.server) || /\.json$/i.test(args.server)) {
        throw new CliError("Running a URL or an MCP config as a local proxy needs proxies, which mcpkit does not have yet: give a server file");
      }
      if (args["env-file"] !== undefined) loadEnvFile(args["env-file"]);
      const server = await loadServer(args.server);
      try {
        await server.run({ transport: args.transport, host: args.host, port, path: args.path });
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code === "EADDRINUSE") throw new CliError(`Port ${port} on ${args.host} is in use: pick another with --port`);
        throw error;
      }
    }),
});
