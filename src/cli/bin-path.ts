import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CliError } from "./output.js";

/**
 * The path of the `mcpkit` binary (`dist/cli/bin.js` of this package), for
 * commands that start it again in a child process or write it into a
 * client's configuration. Found from the package root, not from this file's
 * place: the published JavaScript is bundled (scripts/build.mjs), and this
 * code may sit in a shared chunk.
 */
export function cliBinPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "mcpkit") return join(dir, "dist", "cli", "bin.js");
    const parent = dirname(dir);
    if (parent === dir) throw new CliError("Cannot find the mcpkit package that holds this command: is it installed?");
    dir = parent;
  }
}
