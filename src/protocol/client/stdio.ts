/** Node-only: the stdio client transport (spawns a server process). Loaded on demand. */
export { StdioClientTransport, getDefaultEnvironment } from "@modelcontextprotocol/client/stdio";
