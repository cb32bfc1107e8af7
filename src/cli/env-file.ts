import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { CliError } from "./output.js";

/** The `KEY=VALUE` lines of an env file (Node's own dotenv parser), for `install` to put in a config. */
export function readEnvFile(path: string): Record<string, string> {
  if (!existsSync(path)) throw new CliError(`No such env file: ${path}`);
  try {
    return parseEnv(readFileSync(path, "utf8")) as Record<string, string>;
  } catch (error) {
    throw new CliError(`Could not read env file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Load an env file into `process.env` (variables already set win). */
export function loadEnvFile(path: string): void {
  for (const [key, value] of Object.entries(readEnvFile(path))) process.env[key] ??= value;
}
