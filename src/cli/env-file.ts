import { existsSync } from "node:fs";
import { CliError } from "./output.js";

/** Load `KEY=VALUE` lines into `process.env` (existing variables win). */
export function loadEnvFile(path: string): void {
  if (!existsSync(path)) throw new CliError(`No such env file: ${path}`);
  try {
    process.loadEnvFile(path);
  } catch (error) {
    throw new CliError(`Could not read env file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
