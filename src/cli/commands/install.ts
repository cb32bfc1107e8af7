import { defineCommand } from "citty";
import { cliBinPath } from "../bin-path.js";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { INSTALL_TARGETS } from "../install-targets.js";
import { loadServer, parseServerSpec } from "../load-server.js";
import { readEnvFile } from "../env-file.js";
import { CliError, guarded, log, out } from "../output.js";

/** `mcpkit install <target> <server>`: add a server to an MCP client's configuration. */
export const install = defineCommand({
  meta: {
    name: "install",
    description: `Add a server to an MCP client's config: ${Object.keys(INSTALL_TARGETS).join(", ")} (e.g. mcpkit install cursor server.ts --env API_KEY=...)`,
  },
  args: {
    target: { type: "positional", description: Object.keys(INSTALL_TARGETS).join(" | "), required: true },
    server: { type: "positional", description: "server file, optionally with :exportName", required: true },
    name: { type: "string", description: "the name in the config (default: the server's name)" },
    env: { type: "string", description: "KEY=VALUE for the server's environment (repeatable)" },
    "env-file": { type: "string", description: "KEY=VALUE lines added to the server's environment" },
    config: { type: "string", description: "the config file to edit (default: the client's usual file)" },
    "dry-run": { type: "boolean", description: "show the change without writing" },
  },
  run: ({ args }) =>
    guarded(async () => {
      const target = INSTALL_TARGETS[args.target];
      if (target === undefined) throw new CliError(`Unknown target '${args.target}': use one of ${Object.keys(INSTALL_TARGETS).join(", ")}`);
      const spec = args.server;
      const { file, exportName } = parseServerSpec(spec);
      const server = await loadServer(spec);
      await server.close();
      const name = args.name ?? server.name;
      const env = { ...(args["env-file"] === undefined ? {} : readEnvFile(args["env-file"])), ...parseEnv(args.env) };
      const bin = cliBinPath();
      // Absolute, so the client can start it from any directory.
      const serverSpec = `${resolve(file)}${exportName === undefined ? "" : `:${exportName}`}`;
      const entry = target.entry({ command: process.execPath, args: [bin, "run", serverSpec], env });
      if (args.target === "mcp-json") {
        out(JSON.stringify({ mcpServers: { [name]: entry } }, null, 2));
        return;
      }
      const path = resolve(args.config ?? target.file());
      const current = readConfig(path);
      const servers = (current[target.key] ?? {}) as Record<string, unknown>;
      if (typeof servers !== "object" || servers === null || Array.isArray(servers)) {
        throw new CliError(`${path}: "${target.key}" is not an object; fix the file by hand first`);
      }
      const verb = name in servers ? "Replaced" : "Added";
      const next = { ...current, [target.key]: { ...servers, [name]: entry } };
      const text = `${JSON.stringify(next, null, 2)}\n`;
      if (args["dry-run"]) {
        log.info(`${verb.replace(/d$/, "")} '${name}' in ${path} (dry run, nothing written)`);
        out(text);
        return;
      }
      writeAtomically(path, text);
      log.success(`${verb} '${name}' in ${path}`);
    }),
});

function readConfig(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  const text = readFileSync(path, "utf8");
  if (text.trim() === "") return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not a JSON object");
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new CliError(`${path} is not valid JSON (${error instanceof Error ? error.message : String(error)}): fix it by hand; nothing was changed`);
  }
}

/** Write next to the file and rename over it: the config is never left half-written. */
function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.mcpkit-${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  renameSync(temp, path);
}

function parseEnv(value: string | string[] | undefined): Record<string, string> {
  const pairs = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new CliError(`--env '${pair}' is not KEY=VALUE`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}
