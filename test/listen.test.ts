import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { describe, expect, it } from "vitest";
import type { FastMCP } from "../src/index.js";
import { useServers } from "./support.js";

const { server, client } = useServers();

/** Wait until `check` holds, re-checking after each event-loop turn (no wall-clock assertions). */
async function eventually(check: () => boolean, turns = 200): Promise<void> {
  for (let i = 0; i < turns && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
}

async function httpClient(mcp: FastMCP, opened: (() => Promise<void>)[]): Promise<Client> {
  const handle = await mcp.listen({ transport: "http", port: 0 });
  opened.push(() => handle.close());
  const c = new Client({ name: "listener", version: "1.0.0" }, { versionNegotiation: { mode: "auto" } } as never);
  await c.connect(new StreamableHTTPClientTransport(new URL(handle.endpoint)) as never);
  opened.push(() => c.close());
  return c;
}

describe("subscriptions/listen (2026-07-28)", () => {
  for (const where of ["in memory", "over HTTP"] as const) {
    it(`delivers list changes made at runtime to an open listen stream (${where})`, async () => {
      const opened: (() => Promise<void>)[] = [];
      const mcp = server();
      mcp.tool("first", () => "1");
      const c = where === "in memory" ? await client(mcp, { mode: "auto" }) : await httpClient(mcp, opened);
      const seen: string[] = [];
      c.setNotificationHandler("notifications/tools/list_changed", () => void seen.push("tools"));
      c.setNotificationHandler("notifications/prompts/list_changed", () => void seen.push("prompts"));
      const subscription = await c.listen({ toolsListChanged: true, promptsListChanged: true });
      try {
        mcp.tool("second", () => "2");
        await eventually(() => seen.includes("tools"));
        mcp.prompt("greet", () => "hi");
        await eventually(() => seen.includes("prompts"));
        expect((await c.listTools()).tools.map((t) => t.name)).toEqual(["first", "second"]);
      } finally {
        await subscription.close();
        for (const close of opened.reverse()) await close();
      }
    });

    it(`delivers resource updates only for the URIs the stream asked for (${where})`, async () => {
      const opened: (() => Promise<void>)[] = [];
      const mcp = server();
      mcp.resource("config://a", () => "a");
      mcp.resource("config://b", () => "b");
      const c = where === "in memory" ? await client(mcp, { mode: "auto" }) : await httpClient(mcp, opened);
      const updated: string[] = [];
      c.setNotificationHandler("notifications/resources/updated", (n) => void updated.push(n.params.uri));
      const subscription = await c.listen({ resourceSubscriptions: ["config://a"] });
      try {
        await mcp.notifyResourceUpdated("config://b");
        await mcp.notifyResourceUpdated("config://a");
        await eventually(() => updated.length > 0);
        // One more round trip so a wrongly delivered update for b would have arrived by now.
        await c.listTools();
        expect(updated).toEqual(["config://a"]);
      } finally {
        await subscription.close();
        for (const close of opened.reverse()) await close();
      }
    });
  }
});
