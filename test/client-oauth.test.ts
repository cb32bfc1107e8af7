import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { Client, MemoryTokenStore, OAuth, startCallbackServer, type ClientAuth } from "mcpkit/client";
import { ErrorCodes, FastMCP, McpkitError } from "mcpkit";
import { listen, type NodeListener } from "../src/http/node-server.js";

/** What the mock authorization server saw. */
interface Seen {
  authorize: URLSearchParams[];
  token: URLSearchParams[];
  tokenAuthorization: (string | null)[];
  registrations: Record<string, unknown>[];
}

/**
 * One origin playing both roles: an MCP server (a real FastMCP app) that
 * demands a bearer token, and an authorization server that approves every
 * request at once (PKCE S256 checked at the token endpoint).
 */
async function protectedServer(): Promise<{ url: string; issuer: string; seen: Seen; close(): Promise<void> }> {
  const mcp = new FastMCP({ name: "notes", logLevel: "silent" });
  mcp.tool({ name: "echo", input: z.object({ text: z.string() }) }, ({ text }) => text);
  const app = mcp.http();
  const seen: Seen = { authorize: [], token: [], tokenAuthorization: [], registrations: [] };
  const challenges = new Map<string, string>();
  let base = "";
  const handler = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    switch (url.pathname) {
      case "/.well-known/oauth-protected-resource/mcp":
        return Response.json({ resource: `${base}/mcp`, authorization_servers: [base], scopes_supported: ["notes:read"] });
      case "/.well-known/oauth-authorization-server":
        return Response.json({
          issuer: base,
          authorization_endpoint: `${base}/authorize`,
          token_endpoint: `${base}/token`,
          registration_endpoint: `${base}/register`,
          response_types_supported: ["code"],
          grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
          code_challenge_methods_supported: ["S256"],
          token_endpoint_auth_methods_supported: ["none", "client_secret_basic", "client_secret_post"],
        });
      case "/register": {
        const body = (await request.json()) as Record<string, unknown>;
        seen.registrations.push(body);
        return Response.json({ ...body, client_id: `client-${seen.registrations.length}`, token_endpoint_auth_method: "none" }, { status: 201 });
      }
      case "/authorize": {
        seen.authorize.push(url.searchParams);
        const code = `code-${seen.authorize.length}`;
        challenges.set(code, url.searchParams.get("code_challenge") ?? "");
        const back = new URL(url.searchParams.get("redirect_uri") ?? "");
        back.searchParams.set("code", code);
        back.searchParams.set("state", url.searchParams.get("state") ?? "");
        return new Response(null, { status: 302, headers: { location: back.href } });
      }
      case "/token": {
        const form = new URLSearchParams(await request.text());
        seen.token.push(form);
        seen.tokenAuthorization.push(request.headers.get("authorization"));
        const grant = form.get("grant_type");
        if (grant === "authorization_code") {
          const verifier = form.get("code_verifier") ?? "";
          const expected = challenges.get(form.get("code") ?? "");
          if (createHash("sha256").update(verifier).digest("base64url") !== expected) return Response.json({ error: "invalid_grant" }, { status: 400 });
        }
        return Response.json({ access_token: "token-ok", token_type: "Bearer", expires_in: 3600, refresh_token: "refresh-1" });
      }
      case "/mcp":
        if (request.headers.get("authorization") !== "Bearer token-ok") {
          return new Response(null, { status: 401, headers: { "www-authenticate": `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"` } });
        }
        return app.fetch(request);
      default:
        return new Response("not found", { status: 404 });
    }
  };
  const listener: NodeListener = await listen(handler, "127.0.0.1", 0);
  base = listener.url;
  return {
    url: `${base}/mcp`,
    issuer: base,
    seen,
    close: async () => {
      await listener.close();
      await mcp.close();
    },
  };
}

function textOf(result: { content: readonly { type: string; text?: string }[] }): string | undefined {
  return result.content[0]?.text;
}

/** The headless authorization step: ask without following the redirect, return where it points. */
async function approve(authorizationUrl: URL): Promise<string> {
  const response = await fetch(authorizationUrl, { redirect: "manual" });
  return new URL(response.headers.get("location") ?? "", authorizationUrl).href;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server() {
  const s = await protectedServer();
  cleanups.push(s.close);
  return s;
}

async function connected(url: string, auth: ClientAuth): Promise<Client> {
  const client = await Client.connect(url, { auth, timeoutMs: 10_000 });
  cleanups.push(() => client.close());
  return client;
}

describe("MemoryTokenStore", () => {
  it("keeps records per key and hands out copies", () => {
    const store = new MemoryTokenStore();
    store.set("https://a.example/mcp", { tokens: { access_token: "a", token_type: "Bearer" } });
    const copy = store.get("https://a.example/mcp");
    expect(copy?.tokens?.access_token).toBe("a");
    copy!.tokens!.access_token = "changed";
    expect(store.get("https://a.example/mcp")?.tokens?.access_token).toBe("a");
    expect(store.get("https://b.example/mcp")).toBeUndefined();
    store.delete("https://a.example/mcp");
    expect(store.get("https://a.example/mcp")).toBeUndefined();
  });
});

describe("startCallbackServer", () => {
  it("listens on 127.0.0.1 on a dynamic port, receives one code, and closes", async () => {
    const [one, two] = await Promise.all([startCallbackServer(), startCallbackServer({ path: "/cb" })]);
    const first = new URL(one.redirectUrl);
    expect(first.hostname).toBe("127.0.0.1");
    expect(Number(first.port)).toBeGreaterThan(0);
    expect(new URL(two.redirectUrl).port).not.toBe(first.port);
    expect(new URL(two.redirectUrl).pathname).toBe("/cb");

    const waiting = one.waitForCallback(5_000);
    expect((await fetch(new URL("/elsewhere", one.redirectUrl))).status).toBe(404);
    const page = await fetch(`${one.redirectUrl}?code=abc&state=xyz&iss=https%3A%2F%2Fas.example`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Authorization complete");
    const params = await waiting;
    expect(Object.fromEntries(params)).toEqual({ code: "abc", state: "xyz", iss: "https://as.example" });

    await one.close();
    await one.close();
    await expect(fetch(one.redirectUrl)).rejects.toThrow();
    await two.close();
  });

  it("gives up after the timeout and when closed first", async () => {
    const server = await startCallbackServer();
    await expect(server.waitForCallback(50)).rejects.toMatchObject({ code: ErrorCodes.AUTH_FAILED });
    const pending = server.waitForCallback(5_000);
    await server.close();
    await expect(pending).rejects.toBeInstanceOf(McpkitError);
  });
});

describe("Client OAuth", () => {
  it("logs in headlessly through the redirect hook (registration, PKCE, resource) and reuses the stored token", async () => {
    const { url, seen } = await server();
    const redirected: URL[] = [];
    const store = new MemoryTokenStore();
    const oauth = new OAuth({ store, redirect: (authorizationUrl) => (redirected.push(authorizationUrl), approve(authorizationUrl)) });

    const client = await connected(url, oauth);
    expect(textOf(await client.callTool("echo", { text: "hi" }))).toBe("hi");
    expect(redirected).toHaveLength(1);
    const asked = seen.authorize[0]!;
    expect(asked.get("code_challenge_method")).toBe("S256");
    expect(asked.get("resource")).toBe(url);
    expect(asked.get("scope")).toBe("notes:read");
    expect(asked.get("redirect_uri")).toBe("http://127.0.0.1/callback");
    expect(seen.registrations[0]).toMatchObject({ grant_types: ["authorization_code", "refresh_token"], redirect_uris: ["http://127.0.0.1/callback"] });
    expect((await oauth.stored(url))?.tokens?.access_token).toBe("token-ok");
    expect((await oauth.stored(url))?.expiresAt).toBeGreaterThan(Date.now());

    // A second connection with the same OAuth (same store) needs no new login.
    const again = await connected(url, oauth);
    expect(textOf(await again.callTool("echo", { text: "again" }))).toBe("again");
    expect(redirected).toHaveLength(1);
    expect(seen.token).toHaveLength(1);

    await oauth.logout(url);
    expect(await oauth.stored(url)).toBeUndefined();
  });

  it("refreshes an expired access token before sending it, without a new login", async () => {
    const { url, issuer, seen } = await server();
    const store = new MemoryTokenStore();
    const oauth = new OAuth({ store, redirect: () => Promise.reject(new Error("no login expected")) });
    store.set(url, {
      tokens: { access_token: "expired", token_type: "Bearer", refresh_token: "refresh-1", issuer },
      expiresAt: Date.now() - 1_000,
      client: { client_id: "client-from-last-run", issuer },
    });
    const client = await connected(url, oauth);
    expect(textOf(await client.callTool("echo", { text: "fresh" }))).toBe("fresh");
    expect(seen.authorize).toHaveLength(0);
    expect(seen.token[0]?.get("grant_type")).toBe("refresh_token");
    expect(seen.token[0]?.get("refresh_token")).toBe("refresh-1");
    expect((await oauth.stored(url))?.tokens?.access_token).toBe("token-ok");
  });

  it("rejects a callback whose state does not match, with MCPKIT_AUTH_FAILED", async () => {
    const { url, seen } = await server();
    const forged = async (authorizationUrl: URL) => {
      const location = new URL(await approve(authorizationUrl));
      location.searchParams.set("state", "forged");
      return location;
    };
    const failure = await Client.connect(url, { auth: { redirect: forged }, timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(McpkitError);
    expect((failure as McpkitError).code).toBe(ErrorCodes.AUTH_FAILED);
    expect(seen.token).toHaveLength(0);
  });

  it("completes the interactive flow on a loopback callback with a dynamic port, then stops listening", async () => {
    const { url, issuer, seen } = await server();
    // Stand in for the browser: follow the authorization server's redirect to the loopback listener.
    const browser = async (authorizationUrl: URL) => void (await (await fetch(authorizationUrl)).text());
    const client = await connected(url, new OAuth({ clientId: "registered-app", issuer, openBrowser: browser }));
    expect(textOf(await client.callTool("echo", { text: "loopback" }))).toBe("loopback");

    expect(seen.registrations).toHaveLength(0);
    const redirectUri = new URL(seen.authorize[0]!.get("redirect_uri")!);
    expect(redirectUri.hostname).toBe("127.0.0.1");
    expect(Number(redirectUri.port)).toBeGreaterThan(0);
    expect(seen.authorize[0]!.get("client_id")).toBe("registered-app");
    await expect(fetch(redirectUri)).rejects.toThrow();
  });

  it("authenticates machine clients with client credentials (client_secret_post)", async () => {
    const { url, issuer, seen } = await server();
    const client = await connected(url, {
      grant: "client_credentials",
      issuer,
      clientId: "robot",
      clientSecret: "s3cret",
      tokenEndpointAuthMethod: "client_secret_post",
    });
    expect(textOf(await client.callTool("echo", { text: "m2m" }))).toBe("m2m");
    expect(seen.authorize).toHaveLength(0);
    expect(seen.token[0]?.get("grant_type")).toBe("client_credentials");
    expect(seen.token[0]?.get("client_secret")).toBe("s3cret");
    expect(seen.tokenAuthorization[0]).toBeNull();
  });

  it("validates its options", () => {
    expect(() => new OAuth({ clientMetadataUrl: "http://insecure.example/client.json" })).toThrow(McpkitError);
    expect(() => new OAuth({ callbackPort: 70_000 })).toThrow(McpkitError);
    expect(() => new OAuth({ clientSecret: "orphan" })).toThrow(McpkitError);
  });
});
