import type { Client } from "@modelcontextprotocol/client";
import { describe, expect, it, vi } from "vitest";
import { useServers } from "./support.js";

const { server, client } = useServers();

const KINDS = ["tools", "resources", "prompts"] as const;

/** Record every list-changed and resource-updated notification a client receives. */
function record(c: Client) {
  const seen: string[] = [];
  for (const kind of KINDS) {
    c.setNotificationHandler(`notifications/${kind}/list_changed`, () => {
      seen.push(kind);
    });
  }
  c.setNotificationHandler("notifications/resources/updated", (n) => {
    seen.push(`updated ${n.params.uri}`);
  });
  return {
    seen,
    /** Wait until `count` notifications have arrived. */
    async atLeast(count: number) {
      await vi.waitFor(() => expect(seen.length).toBeGreaterThanOrEqual(count));
    },
    /** Let everything already sent arrive: a macrotask turn, then a full round trip. */
    async settle() {
      await new Promise((resolve) => setTimeout(resolve, 0));
      await c.ping();
    },
  };
}

describe("list-changed notifications", () => {
  it("tells a connected legacy client when a tool is added at runtime", async () => {
    const mcp = server();
    mcp.tool("first", () => "x");
    const c = await client(mcp);
    const events = record(c);

    mcp.tool("second", () => "x");
    await events.atLeast(1);
    await events.settle();

    expect(events.seen).toEqual(["tools"]);
    expect((await c.listTools()).tools.map((t) => t.name)).toEqual(["first", "second"]);
  });

  it("tells the client when a tool is removed, and not when nothing was removed", async () => {
    const mcp = server();
    mcp.tool("doomed", () => "x");
    const c = await client(mcp);
    const events = record(c);

    mcp.removeTool("never-registered");
    await events.settle();
    expect(events.seen).toEqual([]);

    mcp.removeTool("doomed");
    await events.atLeast(1);
    await events.settle();
    expect(events.seen).toEqual(["tools"]);
  });

  it("collapses a burst of changes in one tick into one notification per list", async () => {
    const mcp = server();
    const c = await client(mcp);
    const events = record(c);

    for (let i = 0; i < 10; i++) mcp.tool(`t${i}`, () => i);
    mcp.removeTool("t3");
    mcp.prompt("p1", () => "x");
    mcp.prompt("p2", () => "x");
    await events.atLeast(2);
    await events.settle();

    expect([...events.seen].sort()).toEqual(["prompts", "tools"]);
  });

  it("sends one resources notification for resources and templates changed together", async () => {
    const mcp = server();
    const c = await client(mcp);
    const events = record(c);

    mcp.resource("r://a", () => "x");
    mcp.resource("r://{id}", ({ id }) => id);
    await events.atLeast(1);
    await events.settle();

    expect(events.seen).toEqual(["resources"]);
  });

  it("sends separate notifications for changes in separate ticks", async () => {
    const mcp = server();
    const c = await client(mcp);
    const events = record(c);

    mcp.tool("a", () => "x");
    await events.atLeast(1);
    mcp.tool("b", () => "x");
    await events.atLeast(2);
    await events.settle();

    expect(events.seen).toEqual(["tools", "tools"]);
  });

  it("tells the client about prompt and resource removals", async () => {
    const mcp = server();
    mcp.prompt("p", () => "x");
    mcp.resource("r://x", () => "x");
    const c = await client(mcp);
    const events = record(c);

    mcp.removePrompt("p");
    mcp.removeResource("r://x");
    await events.atLeast(2);
    await events.settle();

    expect([...events.seen].sort()).toEqual(["prompts", "resources"]);
  });

  it("tells the client every list may have changed when visibility changes", async () => {
    const mcp = server();
    const c = await client(mcp);
    const events = record(c);

    mcp.disable({ tags: ["beta"] });
    await events.atLeast(3);
    await events.settle();

    expect([...events.seen].sort()).toEqual(["prompts", "resources", "tools"]);
  });

  it("tells every connected legacy client", async () => {
    const mcp = server();
    const one = record(await client(mcp));
    const two = record(await client(mcp));

    mcp.tool("new", () => "x");
    await one.atLeast(1);
    await two.atLeast(1);

    expect(one.seen).toEqual(["tools"]);
    expect(two.seen).toEqual(["tools"]);
  });

  it("keeps working after a client disconnects", async () => {
    const mcp = server();
    const gone = await client(mcp);
    const stays = await client(mcp);
    const events = record(stays);
    await gone.close();

    mcp.tool("new", () => "x");
    await events.atLeast(1);

    expect(events.seen).toEqual(["tools"]);
  });
});

describe("resource subscriptions", () => {
  it("sends resources/updated to a subscribed legacy client and not for other URIs", async () => {
    const mcp = server();
    mcp.resource("watch://a", () => "a");
    mcp.resource("watch://b", () => "b");
    const c = await client(mcp);
    const events = record(c);

    await c.subscribeResource({ uri: "watch://a" });
    await mcp.notifyResourceUpdated("watch://b");
    await mcp.notifyResourceUpdated("watch://a");
    await events.atLeast(1);
    await events.settle();

    expect(events.seen).toEqual(["updated watch://a"]);
  });

  it("stops sending updates after unsubscribing", async () => {
    const mcp = server();
    mcp.resource("watch://a", () => "a");
    const c = await client(mcp);
    const events = record(c);
    await c.subscribeResource({ uri: "watch://a" });
    await mcp.notifyResourceUpdated("watch://a");
    await events.atLeast(1);

    await c.unsubscribeResource({ uri: "watch://a" });
    await mcp.notifyResourceUpdated("watch://a");
    await events.settle();

    expect(events.seen).toEqual(["updated watch://a"]);
  });

  it("sends updates only to the clients that subscribed", async () => {
    const mcp = server();
    mcp.resource("watch://a", () => "a");
    const subscriber = await client(mcp);
    const bystander = await client(mcp);
    const subscribed = record(subscriber);
    const notSubscribed = record(bystander);

    await subscriber.subscribeResource({ uri: "watch://a" });
    await mcp.notifyResourceUpdated("watch://a");
    await subscribed.atLeast(1);
    await notSubscribed.settle();

    expect(subscribed.seen).toEqual(["updated watch://a"]);
    expect(notSubscribed.seen).toEqual([]);
  });

  it("allows subscribing to a template's concrete URI", async () => {
    const mcp = server();
    mcp.resource("users://{id}", ({ id }) => id);
    const c = await client(mcp);
    const events = record(c);

    await c.subscribeResource({ uri: "users://7" });
    await mcp.notifyResourceUpdated("users://8");
    await mcp.notifyResourceUpdated("users://7");
    await events.atLeast(1);
    await events.settle();

    expect(events.seen).toEqual(["updated users://7"]);
  });

  it("advertises resource subscriptions and list-changed support", async () => {
    const mcp = server();
    const c = await client(mcp);

    expect(c.getServerCapabilities()).toMatchObject({
      tools: { listChanged: true },
      resources: { subscribe: true, listChanged: true },
      prompts: { listChanged: true },
    });
  });
});
