import { homedir } from "node:os";
import { join } from "node:path";

/** An MCP client whose configuration `mcpkit install` can write. */
export interface InstallTarget {
  /** Where the configuration lives by default. */
  readonly file: () => string;
  /** The key in the file holding the servers. */
  readonly key: "mcpServers" | "servers";
  /** The entry's shape for this client. */
  entry(server: { command: string; args: string[]; env: Record<string, string> }): Record<string, unknown>;
}

const plain = (s: { command: string; args: string[]; env: Record<string, string> }) => ({
  command: s.command,
  args: s.args,
  ...(Object.keys(s.env).length === 0 ? {} : { env: s.env }),
});

function claudeDesktopFile(): string {
  const home = homedir();
  if (process.platform === "darwin") return join(home, "Library", "Application Support", "Claude", "claude_desktop_config.json");
  if (process.platform === "win32") return join(process.env.APPDATA ?? join(home, "AppData", "Roaming"), "Claude", "claude_desktop_config.json");
  return join(process.env.XDG_CONFIG_HOME ?? join(home, ".config"), "Claude", "claude_desktop_config.json");
}

/** The clients `mcpkit install` knows, by name. `mcp-json` prints instead of writing. */
export const INSTALL_TARGETS: Readonly<Record<string, InstallTarget>> = {
  "claude-desktop": { file: claudeDesktopFile, key: "mcpServers", entry: plain },
  // Claude Code reads a project's `.mcp.json`.
  "claude-code": { file: () => join(process.cwd(), ".mcp.json"), key: "mcpServers", entry: plain },
  cursor: { file: () => join(homedir(), ".cursor", "mcp.json"), key: "mcpServers", entry: plain },
  // VS Code reads a workspace's `.vscode/mcp.json`, under `servers`, with an explicit type.
  vscode: { file: () => join(process.cwd(), ".vscode", "mcp.json"), key: "servers", entry: (s) => ({ type: "stdio", ...plain(s) }) },
  "gemini-cli": { file: () => join(homedir(), ".gemini", "settings.json"), key: "mcpServers", entry: plain },
  "mcp-json": { file: () => "", key: "mcpServers", entry: plain },
};
