import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { whileCliLoading, type FastMCP } from "../server/index.js";
import { CliError } from "./output.js";

/** `server.ts` or `server.ts:exportName`. */
export interface ServerSpec {
  readonly file: string;
  readonly exportName: string | undefined;
}

/** Split `path[:export]` (a Windows drive letter's colon is not an export). */
export function parseServerSpec(spec: string): ServerSpec {
  const at = spec.lastIndexOf(":");
  if (at > 1 && !spec.slice(at + 1).includes("/") && !spec.slice(at + 1).includes("\\")) {
    return { file: spec.slice(0, at), exportName: spec.slice(at + 1) };
  }
  return { file: spec, exportName: undefined };
}

/** Whether a value is a mcpkit server (by shape, so two copies of mcpkit still recognise each other). */
export function isServer(value: unknown): value is FastMCP {
  const v = value as Partial<FastMCP> | null;
  return typeof v === "object" && v !== null && typeof v.inMemoryTransport === "function" && typeof v.listen === "function" && typeof v.tool === "function";
}

/**
 * Import a server file (TypeScript through jiti, JavaScript natively) and find
 * its server: the named export, else the default export, else an export named
 * `mcp`, `server` or `app`, else the only server among the exports. A
 * top-level `await mcp.run()` in the file does not start serving here.
 */
export async function loadServer(spec: string): Promise<FastMCP> {
  const { file, exportName } = parseServerSpec(spec);
  const path = resolve(file);
  if (!existsSync(path)) throw new CliError(`No such file: ${file}`);
  let module: Record<string, unknown>;
  try {
    module = await whileCliLoading(() => importFile(path));
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new CliError(`Could not load ${file}: ${reason}`);
  }
  if (exportName !== undefined) {
    const named = module[exportName];
    if (!isServer(named)) throw new CliError(`${file} has no server exported as '${exportName}' (exports: ${names(module)})`);
    return named;
  }
  if (isServer(module.default)) return module.default;
  for (const name of ["mcp", "server", "app"]) if (isServer(module[name])) return module[name] as FastMCP;
  const servers = Object.entries(module).filter(([, value]) => isServer(value));
  if (servers.length === 1) return (servers[0] as [string, FastMCP])[1];
  if (servers.length === 0) throw new CliError(`${file} exports no server: add \`export const mcp = new FastMCP(...)\` (exports: ${names(module)})`);
  throw new CliError(`${file} exports several servers (${servers.map(([n]) => n).join(", ")}): pick one with ${file}:<name>`);
}

async function importFile(path: string): Promise<Record<string, unknown>> {
  if (/\.(m|c)?ts$/i.test(path)) {
    const { createJiti } = await import("jiti");
    const jiti = createJiti(import.meta.url, { interopDefault: false, moduleCache: false });
    return (await jiti.import(path)) as Record<string, unknown>;
  }
  return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
}

function names(module: Record<string, unknown>): string {
  const keys = Object.keys(module);
  return keys.length === 0 ? "none" : keys.join(", ");
}
