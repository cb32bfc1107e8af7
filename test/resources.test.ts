import { describe, expect, expectTypeOf, it } from "vitest";
import {
  ErrorCodes,
  McpkitError,
  NotFoundError,
  ResourceError,
  ResourceResult,
  ResourceTemplate,
  Resource,
  UriTemplateError,
} from "../src/index.js";
import { MODES, base64, rejectionOf, thrownBy, useServers } from "./support.js";

const { server, client } = useServers();

const BYTES = new Uint8Array([0, 1, 2, 250, 255]);

describe("static resource contents", () => {
  it("reads a string as text/plain", async () => {
    const mcp = server();
    mcp.resource("config://motd", () => "hello");

    expect(await mcp.readResource("config://motd")).toEqual({ contents: [{ uri: "config://motd", mimeType: "text/plain", text: "hello" }] });
  });

  it("reads a string with the resource's own MIME type", async () => {
    const mcp = server();
    mcp.resource({ uri: "docs://readme", mimeType: "text/markdown" }, () => "# Title");

    expect(await mcp.readResource("docs://readme")).toEqual({ contents: [{ uri: "docs://readme", mimeType: "text/markdown", text: "# Title" }] });
  });

  it("reads bytes as a base64 blob, application/octet-stream by default", async () => {
    const mcp = server();
    mcp.resource("bin://raw", () => BYTES);
    mcp.resource({ uri: "bin://logo", mimeType: "image/png" }, () => BYTES.slice().buffer);

    expect(await mcp.readResource("bin://raw")).toEqual({ contents: [{ uri: "bin://raw", mimeType: "application/octet-stream", blob: base64(BYTES) }] });
    expect(await mcp.readResource("bin://logo")).toEqual({ contents: [{ uri: "bin://logo", mimeType: "image/png", blob: base64(BYTES) }] });
  });

  it("reads an object, an array, a number and null as application/json", async () => {
    const mcp = server();
    mcp.resource("json://obj", () => ({ theme: "dark", size: 3 }));
    mcp.resource("json://arr", () => [1, "two"]);
    mcp.resource("json://num", () => 7);
    mcp.resource("json://null", () => null);

    expect(await mcp.readResource("json://obj")).toEqual({ contents: [{ uri: "json://obj", mimeType: "application/json", text: '{"theme":"dark","size":3}' }] });
    expect((await mcp.readResource("json://arr")).contents[0]).toEqual({ uri: "json://arr", mimeType: "application/json", text: '[1,"two"]' });
    expect((await mcp.readResource("json://num")).contents[0]).toEqual({ uri: "json://num", mimeType: "application/json", text: "7" });
    expect((await mcp.readResource("json://null")).contents[0]).toEqual({ uri: "json://null", mimeType: "application/json", text: "null" });
  });

  it("answers a handler that returns nothing with an error saying so", async () => {
    const mcp = server();
    mcp.resource("x://empty", () => undefined);
    const c = await client(mcp);

    const error = await rejectionOf(c.readResource({ uri: "x://empty" }));

    expect(error.code).toBe(-32603);
    expect(error.message).toContain("The resource x://empty returned nothing");
  });

  it("reads a ResourceResult's several contents, each with its MIME type and meta, plus result meta", async () => {
    const mcp = server();
    mcp.resource(
      { uri: "multi://report", mimeType: "text/csv" },
      () =>
        new ResourceResult(
          [
            { content: "a,b\n1,2" },
            { content: { rows: 1 }, mimeType: "application/json", meta: { part: "summary" } },
            { content: BYTES, uri: "multi://report/raw", mimeType: "application/zip" },
            { content: "<p>hi</p>", mimeType: "text/html" },
          ],
          { generatedBy: "test" },
        ),
    );
    const c = await client(mcp);

    const result = await c.readResource({ uri: "multi://report" });

    expect(result.contents).toEqual([
      { uri: "multi://report", mimeType: "text/csv", text: "a,b\n1,2" },
      { uri: "multi://report", mimeType: "application/json", text: '{"rows":1}', _meta: { part: "summary" } },
      { uri: "multi://report/raw", mimeType: "application/zip", blob: base64(BYTES) },
      { uri: "multi://report", mimeType: "text/html", text: "<p>hi</p>" },
    ]);
    expect(result._meta).toMatchObject({ generatedBy: "test" });
  });

  it("gives the handler the request context", async () => {
    const mcp = server({ lifespan: () => ({ greeting: "hi" }) });
    mcp.resource("ctx://lifespan", (_params, ctx) => `${ctx.lifespan.greeting} from ${ctx.request.method}`);
    const c = await client(mcp);

    const result = await c.readResource({ uri: "ctx://lifespan" });

    expect(result.contents).toEqual([{ uri: "ctx://lifespan", mimeType: "text/plain", text: "hi from resources/read" }]);
  });

  it("reads a resource from a tool through ctx.readResource", async () => {
    const mcp = server();
    mcp.resource("config://limit", () => ({ limit: 5 }));
    mcp.tool("limit", async (_args, ctx) => {
      const { contents } = await ctx.readResource("config://limit");
      return (contents[0] as { text: string }).text;
    });

    expect(await mcp.callTool("limit")).toEqual({ content: [{ type: "text", text: '{"limit":5}' }] });
  });
});

describe("resource listing", () => {
  it("lists a resource's name, title, description, MIME type, size, annotations, icons and tags", async () => {
    const mcp = server();
    mcp.resource(
      {
        uri: "docs://guide",
        name: "guide",
        title: "The Guide",
        description: "How to",
        mimeType: "text/markdown",
        size: 1234,
        annotations: { audience: ["user"], priority: 0.8 },
        icons: [{ src: "data:image/png;base64,AAAA" }],
        tags: ["docs", "b"],
        meta: { owner: "docs-team" },
      },
      () => "text",
    );
    const c = await client(mcp);

    const { resources } = await c.listResources();

    expect(resources).toEqual([
      {
        uri: "docs://guide",
        name: "guide",
        title: "The Guide",
        description: "How to",
        mimeType: "text/markdown",
        size: 1234,
        annotations: { audience: ["user"], priority: 0.8 },
        icons: [{ src: "data:image/png;base64,AAAA" }],
        _meta: { owner: "docs-team", mcpkit: { tags: ["b", "docs"] } },
      },
    ]);
  });

  it("names a resource by its URI when no name is given", async () => {
    const mcp = server();
    mcp.resource("config://app", () => "x");

    expect(await mcp.listResources()).toEqual([{ uri: "config://app", name: "config://app" }]);
  });

  it("lists templates apart from static resources", async () => {
    const mcp = server();
    mcp.resource("config://app", () => "x");
    mcp.resource({ uri: "users://{id}/profile", name: "profile", mimeType: "application/json", description: "A user" }, ({ id }) => ({ id }));
    const c = await client(mcp);

    const { resources } = await c.listResources();
    const { resourceTemplates } = await c.listResourceTemplates();

    expect(resources.map((r) => r.uri)).toEqual(["config://app"]);
    expect(resourceTemplates).toEqual([{ uriTemplate: "users://{id}/profile", name: "profile", mimeType: "application/json", description: "A user" }]);
  });

  it("returns the registered component: a Resource for a URI, a ResourceTemplate for a template", () => {
    const mcp = server();

    expect(mcp.resource("a://b", () => "x")).toBeInstanceOf(Resource);
    expect(mcp.resource("a://{b}", () => "x")).toBeInstanceOf(ResourceTemplate);
  });
});

describe("resource templates", () => {
  it("matches {id} and passes the decoded value", async () => {
    const mcp = server();
    mcp.resource("users://{id}/profile", (params) => {
      expectTypeOf(params).toEqualTypeOf<{ id: string }>();
      return `profile of ${params.id}`;
    });

    expect(await mcp.readResource("users://42/profile")).toEqual({
      contents: [{ uri: "users://42/profile", mimeType: "text/plain", text: "profile of 42" }],
    });
    expect((await mcp.readResource("users://a%2Fb/profile")).contents[0]).toMatchObject({ text: "profile of a/b" });
  });

  it("does not let {id} match across a slash", async () => {
    const mcp = server();
    mcp.resource("users://{id}/profile", ({ id }) => id);

    const error = await rejectionOf(mcp.readResource("users://a/b/profile"));

    expect(error).toBeInstanceOf(NotFoundError);
  });

  it("matches several variables", async () => {
    const mcp = server();
    mcp.resource("repo://{owner}/{name}/issues/{number}", (params) => {
      expectTypeOf(params).toEqualTypeOf<{ owner: string; name: string; number: string }>();
      return params;
    });

    const result = await mcp.readResource("repo://octo/hello/issues/7");

    expect(JSON.parse((result.contents[0] as { text: string }).text)).toEqual({ owner: "octo", name: "hello", number: "7" });
  });

  it("matches {path*} across several segments", async () => {
    const mcp = server();
    mcp.resource("files://{path*}", ({ path }) => `file ${path}`);
    mcp.resource("docs://{lang}/{page*}/view", ({ lang, page }) => `${lang}:${page}`);

    expect((await mcp.readResource("files://src/lib/index.ts")).contents[0]).toMatchObject({ text: "file src/lib/index.ts" });
    expect((await mcp.readResource("docs://en/guide/setup/view")).contents[0]).toMatchObject({ text: "en:guide/setup" });
  });

  it("matches {?q} query parameters as optional strings", async () => {
    const mcp = server();
    mcp.resource("search://items{?q,limit}", (params) => {
      expectTypeOf(params).toEqualTypeOf<{ q?: string; limit?: string }>();
      return params;
    });
    const read = async (uri: string) => JSON.parse(((await mcp.readResource(uri)).contents[0] as { text: string }).text) as unknown;

    expect(await read("search://items?q=red%20shoes&limit=5")).toEqual({ q: "red shoes", limit: "5" });
    expect(await read("search://items?limit=2")).toEqual({ limit: "2" });
    expect(await read("search://items")).toEqual({});
  });

  it("keeps the requested URI in the contents and the template's MIME type", async () => {
    const mcp = server();
    mcp.resource({ uri: "img://{name}", mimeType: "image/png" }, () => BYTES);

    expect(await mcp.readResource("img://cat")).toEqual({ contents: [{ uri: "img://cat", mimeType: "image/png", blob: base64(BYTES) }] });
  });

  it("prefers a static resource over a template that also matches", async () => {
    const mcp = server();
    mcp.resource("users://{id}", ({ id }) => `template ${id}`);
    mcp.resource("users://me", () => "static");

    expect((await mcp.readResource("users://me")).contents[0]).toMatchObject({ text: "static" });
    expect((await mcp.readResource("users://you")).contents[0]).toMatchObject({ text: "template you" });
  });

  for (const mode of MODES) {
    it(`reads a template through a ${mode} client`, async () => {
      const mcp = server();
      mcp.resource("users://{id}/profile", ({ id }) => ({ id, name: `user ${id}` }));
      const c = await client(mcp, { mode });

      const result = await c.readResource({ uri: "users://9/profile" });

      expect(result.contents).toEqual([{ uri: "users://9/profile", mimeType: "application/json", text: '{"id":"9","name":"user 9"}' }]);
    });
  }

  it("rejects a malformed template at registration", () => {
    const mcp = server();

    const error = thrownBy(() => mcp.resource("bad://{id", () => "x"));

    expect(error).toBeInstanceOf(UriTemplateError);
    expect(error.code).toBe(ErrorCodes.INVALID_URI_TEMPLATE);
  });

  it("rejects completion for a variable the template does not have", () => {
    const mcp = server();

    const error = thrownBy(() => mcp.resource({ uri: "a://{id}", complete: { other: () => [] } as never }, () => "x"));

    expect(error.code).toBe(ErrorCodes.INVALID_COMPONENT);
    expect(error.message).toContain("unknown variable 'other'");
  });

  it("rejects a URI without a scheme", () => {
    const mcp = server();

    const error = thrownBy(() => mcp.resource("just-a-path", () => "x"));

    expect(error).toBeInstanceOf(McpkitError);
    expect(error.code).toBe(ErrorCodes.INVALID_COMPONENT);
    expect(error.message).toContain("needs a scheme");
  });
});

describe("resource errors", () => {
  for (const mode of MODES) {
    it(`answers an unknown URI with -32602 and data.uri to a ${mode} client`, async () => {
      const mcp = server();
      mcp.resource("config://app", () => "x");
      mcp.resource("users://{id}/profile", ({ id }) => id);
      const c = await client(mcp, { mode });

      const error = await rejectionOf(c.readResource({ uri: "users://1/settings" }));

      expect(error.code).toBe(-32602);
      expect(error.data).toMatchObject({ uri: "users://1/settings" });
      expect(error.message).toContain("users://1/settings");
    });
  }

  it("throws NotFoundError with data.uri for an unknown URI read in process", async () => {
    const mcp = server();

    const error = await rejectionOf(mcp.readResource("nope://x"));

    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.data).toEqual({ uri: "nope://x" });
  });

  it("sends a ResourceError's message to the client even when details are masked", async () => {
    const mcp = server({ maskErrorDetails: true });
    mcp.resource("db://users", () => {
      throw new ResourceError("The database is read-only today");
    });
    mcp.resource("db://{table}", () => {
      throw new ResourceError("No such table");
    });
    const c = await client(mcp);

    const staticError = await rejectionOf(c.readResource({ uri: "db://users" }));
    const templateError = await rejectionOf(c.readResource({ uri: "db://orders" }));

    expect(staticError.code).toBe(-32603);
    expect(staticError.message).toContain("The database is read-only today");
    expect(templateError.message).toContain("No such table");
  });

  it("masks a plain Error's message when details are masked", async () => {
    const mcp = server({ maskErrorDetails: true });
    mcp.resource("secret://a", () => {
      throw new Error("token=abc");
    });
    mcp.resource("secret://{id}/b", () => {
      throw new Error("token=def");
    });
    const c = await client(mcp);

    const staticError = await rejectionOf(c.readResource({ uri: "secret://a" }));
    const templateError = await rejectionOf(c.readResource({ uri: "secret://1/b" }));

    expect(staticError.message).toContain("Error reading resource 'secret://a'");
    expect(staticError.message).not.toContain("token");
    expect(templateError.message).toContain("Error reading resource 'secret://1/b'");
    expect(templateError.message).not.toContain("token");
  });

  it("includes a plain Error's message when details are not masked", async () => {
    const mcp = server();
    mcp.resource("boom://a", () => {
      throw new Error("disk on fire");
    });

    const error = await rejectionOf(mcp.readResource("boom://a"));

    expect(error).toBeInstanceOf(ResourceError);
    expect(error.message).toBe("Error reading resource 'boom://a': disk on fire");
    expect(error.cause).toBeInstanceOf(Error);
  });
});

describe("removing resources", () => {
  it("removes a static resource by URI and a template by its template string", async () => {
    const mcp = server();
    mcp.resource("config://app", () => "x");
    mcp.resource("users://{id}", ({ id }) => id);
    const c = await client(mcp);

    expect(mcp.removeResource("config://app")).toBe(true);
    expect(mcp.removeResource("users://{id}")).toBe(true);
    expect(mcp.removeResource("config://app")).toBe(false);

    expect((await c.listResources()).resources).toEqual([]);
    expect((await c.listResourceTemplates()).resourceTemplates).toEqual([]);
    expect((await rejectionOf(c.readResource({ uri: "config://app" }))).code).toBe(-32602);
    expect((await rejectionOf(c.readResource({ uri: "users://1" }))).code).toBe(-32602);
  });
});
