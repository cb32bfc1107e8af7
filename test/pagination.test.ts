import type { Client } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ErrorCodes, FastMCP } from "../src/index.js";
import { MODES, rejectionOf, thrownBy, useServers } from "./support.js";

const { server, client } = useServers();

afterEach(() => {
  vi.unstubAllEnvs();
});

type ListMethod = "tools/list" | "resources/list" | "resources/templates/list" | "prompts/list";

const LISTS: { method: ListMethod; key: string; id: string }[] = [
  { method: "tools/list", key: "tools", id: "name" },
  { method: "resources/list", key: "resources", id: "uri" },
  { method: "resources/templates/list", key: "resourceTemplates", id: "uriTemplate" },
  { method: "prompts/list", key: "prompts", id: "name" },
];

/** Five of each kind of component, registered in order 0..4. */
function populated(mcp: FastMCP<any>): FastMCP<any> {
  for (let i = 0; i < 5; i++) {
    mcp.tool(`tool${i}`, () => i);
    mcp.resource(`res://item/${i}`, () => String(i));
    mcp.resource(`tpl${i}://{id}`, ({ id }) => id);
    mcp.prompt(`prompt${i}`, () => String(i));
  }
  return mcp;
}

/** Walk a list one raw page at a time, returning each page's ids and whether it had a cursor. */
async function walk(c: Client, method: ListMethod, key: string, id: string) {
  const pages: { ids: string[]; more: boolean }[] = [];
  let cursor: string | undefined;
  do {
    const page = (await c.request({ method, params: cursor === undefined ? {} : { cursor } })) as Record<string, unknown>;
    cursor = page.nextCursor as string | undefined;
    pages.push({ ids: (page[key] as Record<string, string>[]).map((item) => item[id] as string), more: cursor !== undefined });
  } while (cursor !== undefined && pages.length < 10);
  return pages;
}

describe("list pagination", () => {
  for (const mode of MODES) {
    for (const { method, key, id } of LISTS) {
      it(`pages ${method} by listPageSize with nextCursor for a ${mode} client`, async () => {
        const mcp = populated(server({ listPageSize: 2 }));
        const c = await client(mcp, { mode });

        const pages = await walk(c, method, key, id);

        expect(pages.map((p) => p.ids.length)).toEqual([2, 2, 1]);
        expect(pages.map((p) => p.more)).toEqual([true, true, false]);
        expect(new Set(pages.flatMap((p) => p.ids)).size).toBe(5);
      });
    }
  }

  it("keeps registration order across pages", async () => {
    const mcp = populated(server({ listPageSize: 2 }));
    const c = await client(mcp);

    const pages = await walk(c, "tools/list", "tools", "name");

    expect(pages.flatMap((p) => p.ids)).toEqual(["tool0", "tool1", "tool2", "tool3", "tool4"]);
  });

  it("sends everything in one page without nextCursor when listPageSize is unset", async () => {
    const mcp = populated(server());
    const c = await client(mcp);

    const page = await c.request({ method: "tools/list", params: {} });

    expect(page.tools).toHaveLength(5);
    expect(page.nextCursor).toBeUndefined();
  });

  it("lets the SDK client aggregate every page", async () => {
    const mcp = populated(server({ listPageSize: 2 }));
    const c = await client(mcp);

    expect((await c.listTools()).tools.map((t) => t.name)).toEqual(["tool0", "tool1", "tool2", "tool3", "tool4"]);
    expect((await c.listPrompts()).prompts).toHaveLength(5);
  });

  it("returns every page from the in-process list methods", async () => {
    const mcp = populated(server({ listPageSize: 2 }));

    expect((await mcp.listTools()).map((t) => t.name)).toEqual(["tool0", "tool1", "tool2", "tool3", "tool4"]);
    expect(await mcp.listResources()).toHaveLength(5);
    expect(await mcp.listResourceTemplates()).toHaveLength(5);
    expect(await mcp.listPrompts()).toHaveLength(5);
  });

  it("pages the list as middleware left it", async () => {
    const mcp = populated(server({ listPageSize: 2 }));
    mcp.use({ onListTools: async (_ctx, next) => (await next()).filter((t) => t.name !== "tool0" && t.name !== "tool1") });
    const c = await client(mcp);

    const pages = await walk(c, "tools/list", "tools", "name");

    expect(pages.map((p) => p.ids)).toEqual([["tool2", "tool3"], ["tool4"]]);
  });

  for (const mode of MODES) {
    it(`answers an invalid cursor with -32602 for a ${mode} client`, async () => {
      const mcp = populated(server({ listPageSize: 2 }));
      const c = await client(mcp, { mode });

      const error = await rejectionOf(c.request({ method: "tools/list", params: { cursor: "not-a-cursor" } }));

      expect(error.code).toBe(-32602);
      expect(error.message).toContain("Invalid cursor");
    });
  }

  it("answers an invalid cursor with -32602 even when lists are not paginated", async () => {
    const mcp = populated(server());
    const c = await client(mcp);

    const error = await rejectionOf(c.request({ method: "prompts/list", params: { cursor: "%%%" } }));

    expect(error.code).toBe(-32602);
  });

  it("answers a cursor past the end with an empty last page", async () => {
    const mcp = populated(server({ listPageSize: 2 }));
    const c = await client(mcp);
    const first = await c.request({ method: "tools/list", params: {} });
    const second = await c.request({ method: "tools/list", params: { cursor: first.nextCursor as string } });
    const third = await c.request({ method: "tools/list", params: { cursor: second.nextCursor as string } });
    mcp.removeTool("tool4");
    mcp.removeTool("tool3");
    mcp.removeTool("tool2");

    const afterShrink = await c.request({ method: "tools/list", params: { cursor: second.nextCursor as string } });

    expect(third.tools.map((t) => t.name)).toEqual(["tool4"]);
    expect(afterShrink.tools).toEqual([]);
    expect(afterShrink.nextCursor).toBeUndefined();
  });

  it.each([0, -1, 1.5, Number.NaN])("rejects listPageSize %s", (size) => {
    const error = thrownBy(() => new FastMCP({ name: "x", listPageSize: size }));

    expect(error.code).toBe(ErrorCodes.INVALID_SETTING);
    expect(error.message).toContain("listPageSize");
  });

  it("reads the page size from MCPKIT_LIST_PAGE_SIZE", async () => {
    vi.stubEnv("MCPKIT_LIST_PAGE_SIZE", "3");
    const mcp = populated(server());
    const c = await client(mcp);

    const pages = await walk(c, "prompts/list", "prompts", "name");

    expect(pages.map((p) => p.ids.length)).toEqual([3, 2]);
  });

  it("prefers an explicit listPageSize over MCPKIT_LIST_PAGE_SIZE", async () => {
    vi.stubEnv("MCPKIT_LIST_PAGE_SIZE", "3");
    const mcp = populated(server({ listPageSize: 4 }));
    const c = await client(mcp);

    const pages = await walk(c, "tools/list", "tools", "name");

    expect(pages.map((p) => p.ids.length)).toEqual([4, 1]);
  });
});
