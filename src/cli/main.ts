import { defineCommand } from "citty";
import { VERSION } from "../version.js";
import { call } from "./commands/call.js";
import { dev } from "./commands/dev.js";
import { init } from "./commands/init.js";
import { inspect } from "./commands/inspect.js";
import { install } from "./commands/install.js";
import { list } from "./commands/list.js";
import { run } from "./commands/run.js";
import { version } from "./commands/version.js";

/** The `mcpkit` command and its subcommands. */
export const main = defineCommand({
  meta: { name: "mcpkit", version: VERSION, description: "Run, inspect and call MCP servers." },
  subCommands: { run, dev, inspect, list, call, install, init, version },
});
