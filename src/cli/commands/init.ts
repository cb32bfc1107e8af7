import { defineCommand } from "citty";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { scaffoldFiles } from "../scaffold.js";
import { CliError, guarded, log } from "../output.js";

/** `mcpkit init [dir]`: a new server project with a tool, a resource, a prompt and tests. */
export const init = defineCommand({
  meta: { name: "init", description: "Create a new server project (e.g. mcpkit init my-server)" },
  args: {
    dir: { type: "positional", description: "where to create it (default: the current directory)", required: false },
    name: { type: "string", description: "the package and server name (default: the folder's name)" },
  },
  run: ({ args }) =>
    guarded(async () => {
      const dir = resolve(args.dir ?? ".");
      if (existsSync(dir) && readdirSync(dir).filter((f) => f !== ".git").length > 0) {
        throw new CliError(`${dir} is not empty: pick a new folder, e.g. mcpkit init my-server`);
      }
      const name = args.name ?? basename(dir).toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
      if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new CliError(`'${name}' is not a valid package name: pass --name`);
      for (const [path, text] of Object.entries(scaffoldFiles(name))) {
        const target = join(dir, path);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, text, { flag: "wx" });
      }
      log.success(`Created ${name} in ${dir}`);
      log.info(`Next: cd ${args.dir ?? "."} && npm install && npm test`);
    }),
});
