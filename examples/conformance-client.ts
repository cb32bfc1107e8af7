/**
 * The client the official MCP conformance suite drives. The suite starts a
 * mock server (and, for `auth/*`, a mock authorization server), then runs
 * this file with the server URL as the last argument and describes the
 * scenario in the environment:
 *
 * - `MCP_CONFORMANCE_SCENARIO`: the scenario name (`tools_call`, `auth/basic-cimd`...);
 * - `MCP_CONFORMANCE_CONTEXT`: JSON with scenario data (credentials, tool calls);
 * - `MCP_CONFORMANCE_PROTOCOL_VERSION`: the revision under test; 2025-11-25
 *   pins the legacy handshake, 2026-07-28 the modern per-request era.
 *
 * Every scenario is ordinary `mcpkit/client` code: OAuth included, with the
 * authorization step completed headlessly (the mock authorization server
 * approves at once and redirects; we read the code from that redirect).
 *
 * Run: MCP_CONFORMANCE_SCENARIO=tools_call tsx examples/conformance-client.ts http://localhost:3000/mcp
 */
import { Client, OAuth, type ClientAuth, type ClientOptions, type EraChoice } from "mcpkit/client";

/** The Client ID Metadata Document URL the suite's CIMD scenario expects as `client_id`. */
const CLIENT_METADATA_URL = "https://conformance-test.local/client-metadata.json";

const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? "";
const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? "{}") as Record<string, unknown>;
const revision = process.env.MCP_CONFORMANCE_PROTOCOL_VERSION;
const serverUrl = process.argv.at(-1) ?? "";

/** The era the revision under test calls for. */
const era: EraChoice = revision === undefined ? "auto" : revision >= "2026-07-28" ? "modern" : "legacy";

const log = (...parts: unknown[]) => console.error(`[conformance-client ${scenario}]`, ...parts);

function connect(options: ClientOptions = {}): Promise<Client> {
  return Client.connect(serverUrl, { name: "mcpkit-conformance-client", version: "1.0.0", era, raiseOnError: false, ...options });
}

/** Connect, run `body`, always close. */
async function session(options: ClientOptions, body: (client: Client) => Promise<void>): Promise<void> {
  const client = await connect(options);
  log(`connected (${client.protocolVersion ?? "?"})`);
  try {
    await body(client);
  } finally {
    await client.close();
  }
}

/**
 * The headless authorization step: ask the authorization endpoint without
 * following its redirect, and hand back where it sends the user agent.
 */
async function approveWithoutBrowser(authorizationUrl: URL): Promise<string> {
  const response = await fetch(authorizationUrl, { redirect: "manual" });
  const location = response.headers.get("location");
  await response.body?.cancel();
  if (location === null) throw new Error(`The authorization endpoint answered ${response.status} without a redirect`);
  return new URL(location, authorizationUrl).href;
}

function oauth(extra: ConstructorParameters<typeof OAuth>[0] = {}): OAuth {
  return new OAuth({ clientName: "mcpkit-conformance-client", clientMetadataUrl: CLIENT_METADATA_URL, redirect: approveWithoutBrowser, ...extra });
}

function text(key: string): string {
  const value = context[key];
  if (typeof value !== "string") throw new Error(`MCP_CONFORMANCE_CONTEXT has no string "${key}"`);
  return value;
}

/** The authenticated scenario body: list, then call the mock's tool. */
async function authorizedSession(auth: ClientAuth): Promise<void> {
  await session({ auth }, async (client) => {
    await client.listTools();
    await client.callTool("test-tool", {});
  });
}

type Handler = () => Promise<void>;

const listOnly: Handler = () => session({}, async (client) => void (await client.listTools()));

const handlers: Record<string, Handler> = {
  initialize: listOnly,
  "json-schema-ref-no-deref": listOnly,
  tools_call: () =>
    session({}, async (client) => {
      const tools = await client.listTools();
      if (tools.some((t) => t.name === "add_numbers")) log(await client.callTool("add_numbers", { a: 5, b: 3 }));
    }),
  // The per-request `_meta` envelope and version retry are the client's own; declare every capability.
  "request-metadata": () =>
    session({ era: "auto", roots: [], sampling: () => "ok", elicitation: () => ({ action: "decline" }) }, async () => undefined),
  "elicitation-sep1034-client-defaults": () =>
    session(
      { elicitation: () => ({ action: "accept", content: {} }), capabilities: { elicitation: { form: { applyDefaults: true } } } },
      async (client) => log(await client.callTool("test_client_elicitation_defaults", {})),
    ),
  "sse-retry": () => session({}, async (client) => log(await client.callTool("test_reconnection", {}))),
  "sep-2322-client-request-state": () =>
    session({ elicitation: () => ({ action: "accept", content: { confirmed: true } }) }, async (client) => {
      for (const name of ["test_mrtr_echo_state", "test_mrtr_no_state", "test_mrtr_unrelated", "test_mrtr_no_result_type"]) {
        log(name, await client.callTool(name, {}).catch((error: unknown) => `rejected: ${String(error)}`));
      }
    }),
  "http-standard-headers": () =>
    session({}, async (client) => {
      const [tool] = await client.listTools();
      if (tool !== undefined) await client.callTool(tool.name, {});
      const [resource] = await client.listResources();
      if (resource !== undefined) await client.readResource(resource.uri);
      const [prompt] = await client.listPrompts();
      if (prompt !== undefined) await client.getPrompt(prompt.name, {});
    }),
  "http-custom-headers": () =>
    session({}, async (client) => {
      await client.listTools();
      const calls = (context.toolCalls ?? []) as { name: string; arguments: Record<string, unknown> }[];
      for (const call of calls) await client.callTool(call.name, call.arguments);
    }),
  // Tools with invalid x-mcp-header annotations must be left out of the listing, so never called.
  "http-invalid-tool-headers": () =>
    session({}, async (client) => {
      for (const tool of await client.listTools()) {
        await client.callTool(tool.name, { region: "us-west1" }).catch((error: unknown) => log(`${tool.name}: ${String(error)}`));
      }
    }),
  "json-schema-2020-12-preservation": () =>
    session({}, async (client) => {
      const focal = (await client.listTools()).find((t) => t.name === "json_schema_2020_12_tool");
      if (focal === undefined) throw new Error("json_schema_2020_12_tool is not listed");
      await client.callTool("json_schema_echo", { schema: focal.inputSchema });
    }),
  "auth/pre-registration": () => authorizedSession(oauth({ clientId: text("client_id"), clientSecret: text("client_secret") })),
  "auth/client-credentials-basic": () =>
    authorizedSession({ grant: "client_credentials", clientId: text("client_id"), clientSecret: text("client_secret") }),
  "auth/client-credentials-jwt": () =>
    authorizedSession({
      grant: "client_credentials",
      clientId: text("client_id"),
      privateKey: text("private_key_pem"),
      algorithm: typeof context.signing_algorithm === "string" ? context.signing_algorithm : "ES256",
    }),
};

async function main(): Promise<number> {
  // Every other auth scenario is the same well-behaved client: discovery, CIMD or registration, PKCE, step-up.
  const handler = handlers[scenario] ?? (scenario.startsWith("auth/") ? () => authorizedSession(oauth()) : undefined);
  if (handler === undefined || serverUrl === "") {
    console.error(`usage: MCP_CONFORMANCE_SCENARIO=<scenario> tsx examples/conformance-client.ts <server-url>\nunknown scenario "${scenario}"`);
    return 2;
  }
  await handler();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log("failed:", error);
    process.exit(1);
  },
);
