import { readFileSync } from "node:fs";
import { Client, type MultiClient } from "../client/index.js";
import { CliError } from "./output.js";
import { loadServer } from "./load-server.js";

/** What `list` and `call` talk to. */
export type Connected = { client: Client | MultiClient; close(): Promise<void> };

/**
 * Connect to a target: a URL (HTTP), an MCP config file (`.json` with
 * `mcpServers`), or a server file (loaded here and connected in memory).
 */
export async function connectTarget(target: string, options: { timeoutMs?: number } = {}): Promise<Connected> {
  const clientOptions = { name: "mcpkit-cli", ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) };
  if (/^https?:\/\//i.test(target)) {
    const client = await Client.connect(target, clientOptions);
    return { client, close: () => client.close() };
  }
  if (/\.json$/i.test(target)) {
    const client = await Client.connect(readConfig(target), clientOptions);
    return { client, close: () => client.close() };
  }
  const server = await loadServer(target);
  const client = await Client.connect(server, clientOptions);
  return {
    client,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

function readConfig(path: string): { mcpServers: Record<string, never> } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new CliError(`No such file: ${path}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const servers = (parsed as { mcpServers?: unknown } | null)?.mcpServers;
  if (typeof servers !== "object" || servers === null || Array.isArray(servers)) {
    throw new CliError(`${path} has no "mcpServers" object: expected { "mcpServers": { "<name>": { "command": ..., "args": [...] } } }`);
  }
  return { mcpServers: servers as Record<string, never> };
}
