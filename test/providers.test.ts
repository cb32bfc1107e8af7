import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ErrorCodes,
  LocalProvider,
  Prompt,
  Resource,
  ResourceTemplate,
  Tool,
  visibility,
  type FastMCP,
  type Provider,
  type Transform,
} from "../src/index.js";
import { MODES, rejectionOf, texts, thrownBy, useServers } from "./support.js";

const { server, client } = useServers();

/** A provider backed by fixed lists and no `get*` fast paths: lookups scan the lists. */
function listProvider(parts: { tools?: Tool[]; resources?: Resource[]; templates?: ResourceTemplate[]; prompts?: Prompt[] }): Provider {
  return {
    listTools: () => parts.tools ?? [],
    listResources: () => parts.resources ?? [],
    listResourceTemplates: () => parts.templates ?? [],
    listPrompts: () => parts.prompts ?? [],
  };
}

const remoteTool = (name: string, text = `remote ${name}`, tags: string[] = []) => new Tool({ name, tags }, () => text);

/** The error a client gets for calling `name`, reduced to what a client can observe. */
async function callError(mcp: FastMCP<any>, name: string, mode: "legacy" | "auto" = "legacy") {
  const c = await client(mcp, { mode });
  const error = await rejectionOf(c.callTool({ name, arguments: {} }));
  return { code: error.code, message: error.message, data: error.data };
}

describe("providers", () => {
  it("serves tools, resources, templates and prompts from an added provider", async () => {
    const mcp = server();
    mcp.addProvider(
      listProvider({
        tools: [new Tool({ name: "echo", input: z.object({ text: z.string() }) }, ((args: { text: string }) => args.text) as never)],
        resources: [new Resource({ uri: "remote://readme" }, () => "remote readme")],
        templates: [new ResourceTemplate({ uri: "remote://items/{id}" }, ((p: { id: string }) => `item ${p.id}`) as never)],
        prompts: [new Prompt({ name: "remote_prompt" }, () => "remote prompt")],
      }),
    );
    const c = await client(mcp);

    expect((await c.listTools()).tools.map((t) => t.name)).toEqual(["echo"]);
    expect(texts(await c.callTool({ name: "echo", arguments: { text: "hi" } }))).toEqual(["hi"]);
    expect((await c.callTool({ name: "echo", arguments: { text: 1 } })).isError).toBe(true);
    expect((await c.readResource({ uri: "remote://readme" })).contents[0]).toMatchObject({ text: "remote readme" });
    expect((await c.readResource({ uri: "remote://items/3" })).contents[0]).toMatchObject({ text: "item 3" });
    expect((await c.getPrompt({ name: "remote_prompt" })).messages[0]?.content).toEqual({ type: "text", text: "remote prompt" });
  });

  it("lists local components first, then each provider's in the order added", async () => {
    const mcp = server({ providers: [listProvider({ tools: [remoteTool("first")] })] });
    mcp.addProvider(listProvider({ tools: [remoteTool("second")] }));
    mcp.tool("local", () => "local");

    expect((await mcp.listTools()).map((t) => t.name)).toEqual(["local", "first", "second"]);
  });

  it("lets a local component shadow a provider's component of the same name", async () => {
    const mcp = server();
    mcp.addProvider(listProvider({ tools: [remoteTool("shared"), remoteTool("only_remote")] }));
    mcp.tool("shared", () => "local shared");
    const c = await client(mcp);

    const { tools } = await c.listTools();

    expect(tools.map((t) => t.name)).toEqual(["shared", "only_remote"]);
    expect(texts(await c.callTool({ name: "shared", arguments: {} }))).toEqual(["local shared"]);
    expect(texts(await c.callTool({ name: "only_remote", arguments: {} }))).toEqual(["remote only_remote"]);
  });

  it("lets an earlier provider shadow a later one", async () => {
    const mcp = server({ providers: [listProvider({ tools: [remoteTool("x", "from first")] }), listProvider({ tools: [remoteTool("x", "from second")] })] });

    expect(await mcp.listTools()).toHaveLength(1);
    expect(texts(await mcp.callTool("x"))).toEqual(["from first"]);
  });

  it("uses a provider's get fast path when it has one", async () => {
    const asked: string[] = [];
    const mcp = server();
    mcp.addProvider({
      listTools: () => [],
      listResources: () => [],
      listResourceTemplates: () => [],
      listPrompts: () => [],
      getTool: async (name) => {
        asked.push(name);
        return name === "lazy" ? remoteTool("lazy", "made on demand") : undefined;
      },
    });

    expect(texts(await mcp.callTool("lazy"))).toEqual(["made on demand"]);
    expect(asked).toEqual(["lazy"]);
  });

  it("sees components a provider adds later (the link is live)", async () => {
    const tools: Tool[] = [];
    const mcp = server();
    mcp.addProvider(listProvider({ tools }));

    expect(await mcp.listTools()).toEqual([]);
    tools.push(remoteTool("late"));
    expect((await mcp.listTools()).map((t) => t.name)).toEqual(["late"]);
    expect(texts(await mcp.callTool("late"))).toEqual(["remote late"]);
  });

  it("shares a standalone LocalProvider, which refuses duplicates by default", async () => {
    const shared = new LocalProvider();
    shared.addTool(remoteTool("shared_tool", "from the shared provider"));
    const one = server({ providers: [shared] });
    const two = server({ providers: [shared] });

    expect(texts(await one.callTool("shared_tool"))).toEqual(["from the shared provider"]);
    expect(texts(await two.callTool("shared_tool"))).toEqual(["from the shared provider"]);
    expect(thrownBy(() => shared.addTool(remoteTool("shared_tool"))).code).toBe(ErrorCodes.DUPLICATE_COMPONENT);
  });
});

describe("visibility", () => {
  it("hides components by tag from every list", async () => {
    const mcp = server();
    mcp.tool({ name: "pub" }, () => "x");
    mcp.tool({ name: "adm", tags: ["admin"] }, () => "x");
    mcp.resource({ uri: "r://pub" }, () => "x");
    mcp.resource({ uri: "r://adm", tags: ["admin"] }, () => "x");
    mcp.resource({ uri: "t://{id}", tags: ["admin"] }, () => "x");
    mcp.prompt({ name: "adm_prompt", tags: ["admin", "other"] }, () => "x");
    mcp.disable({ tags: ["admin"] });
    const c = await client(mcp);

    expect((await c.listTools()).tools.map((t) => t.name)).toEqual(["pub"]);
    expect((await c.listResources()).resources.map((r) => r.uri)).toEqual(["r://pub"]);
    expect((await c.listResourceTemplates()).resourceTemplates).toEqual([]);
    expect((await c.listPrompts()).prompts).toEqual([]);
  });

  for (const mode of MODES) {
    it(`answers a call to a hidden tool exactly as an unknown tool for a ${mode} client`, async () => {
      const hidden = server();
      hidden.tool({ name: "secret", tags: ["internal"] }, () => "x");
      hidden.disable({ tags: ["internal"] });
      const never = server();

      const hiddenError = await callError(hidden, "secret", mode);
      const unknownError = await callError(never, "secret", mode);

      expect(hiddenError).toEqual(unknownError);
      expect(hiddenError.code).toBe(-32602);
    });
  }

  it("answers a read of a hidden resource or template exactly as an unknown URI", async () => {
    const hidden = server();
    hidden.resource({ uri: "r://secret", tags: ["internal"] }, () => "x");
    hidden.resource({ uri: "t://{id}", tags: ["internal"] }, () => "x");
    hidden.disable({ tags: ["internal"] });
    const never = server();
    const read = async (mcp: FastMCP<any>, uri: string) => {
      const error = await rejectionOf((await client(mcp)).readResource({ uri }));
      return { code: error.code, message: error.message, data: error.data };
    };

    expect(await read(hidden, "r://secret")).toEqual(await read(never, "r://secret"));
    expect(await read(hidden, "t://1")).toEqual(await read(never, "t://1"));
  });

  it("answers a hidden prompt exactly as an unknown prompt", async () => {
    const hidden = server();
    hidden.prompt("secret", () => "x");
    hidden.disable({ names: ["secret"] });
    const never = server();
    const get = async (mcp: FastMCP<any>) => {
      const error = await rejectionOf((await client(mcp)).getPrompt({ name: "secret" }));
      return { code: error.code, message: error.message };
    };

    expect(await get(hidden)).toEqual(await get(never));
  });

  it("hides by name: tool and prompt names, resource URIs and template strings", async () => {
    const mcp = server();
    mcp.tool("a", () => "x");
    mcp.tool("b", () => "x");
    mcp.resource("r://a", () => "x");
    mcp.resource("t://{id}", () => "x");
    mcp.prompt("a", () => "x");
    mcp.disable({ names: ["a", "r://a", "t://{id}"] });

    expect((await mcp.listTools()).map((t) => t.name)).toEqual(["b"]);
    expect(await mcp.listResources()).toEqual([]);
    expect(await mcp.listResourceTemplates()).toEqual([]);
    expect(await mcp.listPrompts()).toEqual([]);
    expect(texts(await mcp.callTool("b"))).toEqual(["x"]);
  });

  it("shows only what matches with only()", async () => {
    const mcp = server();
    mcp.tool({ name: "keep", tags: ["public"] }, () => "kept");
    mcp.tool("named", () => "named");
    mcp.tool("drop", () => "dropped");
    mcp.only({ tags: ["public"], names: ["named"] });
    const c = await client(mcp);

    expect((await c.listTools()).tools.map((t) => t.name)).toEqual(["keep", "named"]);
    expect(texts(await c.callTool({ name: "keep", arguments: {} }))).toEqual(["kept"]);
    expect((await rejectionOf(c.callTool({ name: "drop", arguments: {} }))).code).toBe(-32602);
  });

  it("hides provider components too", async () => {
    const mcp = server();
    mcp.addProvider(listProvider({ tools: [remoteTool("remote_admin", "x", ["admin"]), remoteTool("remote_public")] }));
    mcp.disable({ tags: ["admin"] });

    expect((await mcp.listTools()).map((t) => t.name)).toEqual(["remote_public"]);
    expect((await rejectionOf(mcp.callTool("remote_admin"))).code).toBe(ErrorCodes.NOT_FOUND);
  });

  it("falls back to a provider's component when the local one of the same name is hidden, in lists and calls alike", async () => {
    const mcp = server();
    mcp.tool({ name: "shared", tags: ["internal"] }, () => "local");
    mcp.addProvider(listProvider({ tools: [remoteTool("shared", "remote")] }));
    mcp.disable({ tags: ["internal"] });

    const listed = (await mcp.listTools()).map((t) => t.name);
    const called = texts(await mcp.callTool("shared"));

    expect(listed).toEqual(["shared"]);
    expect(called).toEqual(["remote"]);
  });

  it("accepts a visibility() transform directly and through the constructor", async () => {
    const mcp = server({ transforms: [visibility({ names: ["x"] })] });
    mcp.tool("x", () => "x");
    mcp.tool("y", () => "y");
    mcp.tool("z", () => "z");
    mcp.addTransform(visibility({ names: ["z"] }, "disable"));

    expect((await mcp.listTools()).map((t) => t.name)).toEqual(["y"]);
  });
});

describe("transforms", () => {
  /** Renames tool `from` to `to` on the way out and maps `to` back on the way in. */
  function renameTool(from: string, to: string): Transform {
    return {
      tool: (tool) => (tool.name === from ? tool.renamed(to) : tool),
      toolName: (requested) => (requested === to ? from : requested === from ? undefined : requested),
    };
  }

  for (const mode of MODES) {
    it(`renames a tool end to end for a ${mode} client`, async () => {
      const mcp = server();
      mcp.tool({ name: "get_user_v2", description: "Fetch", input: z.object({ id: z.string() }) }, ({ id }) => `user ${id}`);
      mcp.tool("other", () => "other");
      mcp.addTransform(renameTool("get_user_v2", "get_user"));
      const c = await client(mcp, { mode });

      const { tools } = await c.listTools();
      const result = await c.callTool({ name: "get_user", arguments: { id: "7" } });
      const oldName = await rejectionOf(c.callTool({ name: "get_user_v2", arguments: { id: "7" } }));

      expect(tools.map((t) => t.name)).toEqual(["get_user", "other"]);
      expect(tools[0]).toMatchObject({ description: "Fetch", inputSchema: { properties: { id: { type: "string" } } } });
      expect(texts(result)).toEqual(["user 7"]);
      expect(oldName.code).toBe(-32602);
      expect(texts(await c.callTool({ name: "other", arguments: {} }))).toEqual(["other"]);
    });
  }

  it("reports errors under the tool's new name", async () => {
    const mcp = server();
    mcp.tool("inner", () => {
      throw new Error("bad");
    });
    mcp.addTransform(renameTool("inner", "outer"));

    expect(texts(await mcp.callTool("outer"))).toEqual(["Error calling tool 'outer': bad"]);
  });

  it("stacks transforms in the order added: a later rule sees the renamed tool", async () => {
    const mcp = server();
    mcp.tool("a", () => "a");
    mcp.tool("b", () => "b");
    mcp.addTransform(renameTool("a", "alpha"));
    mcp.disable({ names: ["alpha"] });

    expect((await mcp.listTools()).map((t) => t.name)).toEqual(["b"]);
    expect((await rejectionOf(mcp.callTool("alpha"))).code).toBe(ErrorCodes.NOT_FOUND);
    expect((await rejectionOf(mcp.callTool("a"))).code).toBe(ErrorCodes.NOT_FOUND);
  });

  it("renames a prompt end to end", async () => {
    const mcp = server();
    mcp.prompt({ name: "draft", args: z.object({ topic: z.string() }) }, ({ topic }) => `Write about ${topic}`);
    mcp.addTransform({
      prompt: (p) => (p.name === "draft" ? p.renamed("write") : p),
      promptName: (requested) => (requested === "write" ? "draft" : requested === "draft" ? undefined : requested),
    });
    const c = await client(mcp);

    expect((await c.listPrompts()).prompts.map((p) => p.name)).toEqual(["write"]);
    expect((await c.getPrompt({ name: "write", arguments: { topic: "tests" } })).messages[0]?.content).toEqual({ type: "text", text: "Write about tests" });
    expect((await rejectionOf(c.getPrompt({ name: "draft", arguments: { topic: "x" } }))).code).toBe(-32602);
  });

  it("moves a resource to another URI end to end", async () => {
    const mcp = server();
    mcp.resource("data://config", () => "config body");
    mcp.addTransform({
      resource: (r) => r.withUri(r.uri.replace("data://", "data://api/")),
      resourceUri: (requested) => (requested.startsWith("data://api/") ? requested.replace("data://api/", "data://") : undefined),
    });
    const c = await client(mcp);

    expect((await c.listResources()).resources.map((r) => r.uri)).toEqual(["data://api/config"]);
    expect((await c.readResource({ uri: "data://api/config" })).contents).toEqual([{ uri: "data://api/config", mimeType: "text/plain", text: "config body" }]);
    expect((await rejectionOf(c.readResource({ uri: "data://config" }))).code).toBe(-32602);
  });
});

describe("stacked visibility rules", () => {
  async function visible(mcp: FastMCP): Promise<string[]> {
    return (await mcp.listTools()).map((t) => t.name);
  }

  it("lets a later enable() show again what an earlier disable() hid", async () => {
    const mcp = server();
    mcp.tool({ name: "status", tags: ["admin"] }, () => "ok");
    mcp.tool({ name: "wipe", tags: ["admin"] }, () => "gone");
    mcp.disable({ tags: ["admin"] }).enable({ names: ["status"] });

    expect(await visible(mcp)).toEqual(["status"]);
    expect(texts(await mcp.callTool("status"))).toEqual(["ok"]);
  });

  it("lets a later disable() hide part of what enable() showed", async () => {
    const mcp = server();
    mcp.tool({ name: "a", tags: ["x"] }, () => "a");
    mcp.tool({ name: "b", tags: ["x"] }, () => "b");
    mcp.only({ tags: ["x"] }).disable({ names: ["b"] });

    expect(await visible(mcp)).toEqual(["a"]);
  });

  it("makes the last only() win instead of intersecting with earlier ones", async () => {
    const mcp = server();
    mcp.tool("a", () => "a");
    mcp.tool("b", () => "b");
    mcp.only({ names: ["a"] }).only({ names: ["b"] });

    expect(await visible(mcp)).toEqual(["b"]);
  });

  it("tells connected clients the lists changed when rules change", async () => {
    const mcp = server();
    mcp.tool("a", () => "a");
    const c = await client(mcp);
    let changed = 0;
    c.setNotificationHandler("notifications/tools/list_changed", () => {
      changed++;
    });

    mcp.disable({ names: ["a"] });
    await c.listTools(); // a round trip after the notification was sent

    expect(changed).toBe(1);
    expect((await c.listTools()).tools).toEqual([]);
  });
});
