import { defineCommand } from "citty";
import { VERSION } from "../../version.js";
import { out } from "../output.js";

/** `mcpkit version`. */
export const version = defineCommand({
  meta: { name: "version", description: "Print mcpkit's version." },
  run: () => out(`mcpkit ${VERSION} (node ${process.version})`),
});
