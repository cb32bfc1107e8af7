/** The arguments `run` and `dev` share: which server, and where to serve HTTP. */
export const serveArgs = {
  server: { type: "positional", description: "server file, optionally with :exportName", required: true },
  host: { type: "string", description: "HTTP bind address", default: "127.0.0.1" },
  port: { type: "string", description: "HTTP port", default: "8000" },
  path: { type: "string", description: "HTTP endpoint path", default: "/mcp" },
  "env-file": { type: "string", description: "load KEY=VALUE lines into the environment first" },
} as const;
