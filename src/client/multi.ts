import { ErrorCodes, McpkitError } from "../errors/index.js";
import type { CompleteResult, GetPromptResult, ReadResourceResult, Root, WirePrompt, WireResource, WireResourceTemplate, WireTool } from "../protocol/index.js";
import type { CallOptions, Client, ToolCallOptions } from "./client.js";
import type { ClientOptions } from "./options.js";
import type { McpConfig } from "./targets.js";
import type { ToolCallResult } from "./tool-call.js";

/**
 * Several servers behind one client, from an `mcpServers` configuration.
 * With more than one server, names are namespaced by server: tools and
 * prompts as `<server>_<name>`, resource URIs as `<scheme>://<server>/<rest>`.
 * A configuration with a single server is not namespaced.
 */
export class MultiClient {
  private constructor(
    /** The connected clients, by server name. */
    readonly clients: ReadonlyMap<string, Client>,
    private readonly namespaced: boolean,
  ) {}

  /** Connect to every server of the configuration; if one fails, the others are closed and the error names it. */
  static async connect(config: McpConfig, options: ClientOptions, connectOne: (target: McpConfig["mcpServers"][string], options: ClientOptions) => Promise<Client>): Promise<MultiClient> {
    const entries = Object.entries(config.mcpServers ?? {});
    if (entries.length === 0) throw new McpkitError(ErrorCodes.INVALID_SETTING, "The configuration's mcpServers is empty");
    for (const [name] of entries) {
      if (!/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(name)) {
        throw new McpkitError(ErrorCodes.INVALID_SETTING, `Server name ${JSON.stringify(name)}: use letters, digits, '.' and '-' (it becomes a name prefix)`);
      }
    }
    const settled = await Promise.allSettled(entries.map(([, target]) => connectOne(target, options)));
    const clients = new Map<string, Client>();
    const failures: string[] = [];
    settled.forEach((outcome, i) => {
      const name = (entries[i] as [string, unknown])[0];
      if (outcome.status === "fulfilled") clients.set(name, outcome.value);
      else failures.push(`${name}: ${outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)}`);
    });
    if (failures.length > 0) {
      await Promise.all([...clients.values()].map((c) => c.close().catch(() => undefined)));
      throw new McpkitError(ErrorCodes.CONNECTION_FAILED, `Could not connect to every configured server: ${failures.join("; ")}`);
    }
    return new MultiClient(clients, clients.size > 1);
  }

  /** Every tool of every server, namespaced. */
  async listTools(options: CallOptions = {}): Promise<WireTool[]> {
    return this.gather((c) => c.listTools(options), (server, t) => ({ ...t, name: this.name(server, t.name) }));
  }

  /** Call a namespaced tool on its server. */
  async callTool(name: string, args: Record<string, unknown> = {}, options: ToolCallOptions = {}): Promise<ToolCallResult> {
    const [client, inner] = this.route(name, "tool");
    return client.callTool(inner, args, options);
  }

  async listResources(options: CallOptions = {}): Promise<WireResource[]> {
    return this.gather((c) => c.listResources(options), (server, r) => ({ ...r, uri: this.uri(server, r.uri) }));
  }

  async listResourceTemplates(options: CallOptions = {}): Promise<WireResourceTemplate[]> {
    return this.gather((c) => c.listResourceTemplates(options), (server, t) => ({ ...t, uriTemplate: this.uri(server, t.uriTemplate) }));
  }

  /** Read a namespaced resource from its server (the contents carry the URI the client asked for). */
  async readResource(uri: string, options: CallOptions = {}): Promise<ReadResourceResult["contents"]> {
    const [client, inner, server] = this.routeUri(uri);
    const contents = await client.readResource(inner, options);
    return contents.map((c) => ({ ...c, uri: this.uri(server, c.uri) }));
  }

  async listPrompts(options: CallOptions = {}): Promise<WirePrompt[]> {
    return this.gather((c) => c.listPrompts(options), (server, p) => ({ ...p, name: this.name(server, p.name) }));
  }

  async getPrompt(name: string, args: Record<string, unknown> = {}, options: CallOptions = {}): Promise<GetPromptResult> {
    const [client, inner] = this.route(name, "prompt");
    return client.getPrompt(inner, args, options);
  }

  /** Completion for a namespaced prompt or template. */
  async complete(
    ref: { type: "ref/prompt"; name: string } | { type: "ref/resource"; uri: string },
    argument: { name: string; value: string },
    context: Record<string, string> = {},
    options: CallOptions = {},
  ): Promise<CompleteResult["completion"]> {
    if (ref.type === "ref/prompt") {
      const [client, inner] = this.route(ref.name, "prompt");
      return client.complete({ type: "ref/prompt", name: inner }, argument, context, options);
    }
    const [client, inner] = this.routeUri(ref.uri);
    return client.complete({ type: "ref/resource", uri: inner }, argument, context, options);
  }

  /** Ping every server. */
  async ping(options: CallOptions = {}): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.ping(options)));
  }

  /** Give every server the same roots. */
  async setRoots(roots: readonly Root[]): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.setRoots(roots)));
  }

  /** Close every connection. */
  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private async gather<T>(list: (c: Client) => Promise<T[]>, rename: (server: string, item: T) => T): Promise<T[]> {
    const lists = await Promise.all([...this.clients].map(async ([server, c]) => (await list(c)).map((item) => rename(server, item))));
    return lists.flat();
  }

  private name(server: string, name: string): string {
    return this.namespaced ? `${server}_${name}` : name;
  }

  private uri(server: string, uri: string): string {
    if (!this.namespaced) return uri;
    const at = uri.indexOf("://");
    return at === -1 ? `${server}+${uri}` : `${uri.slice(0, at + 3)}${server}/${uri.slice(at + 3)}`;
  }

  private route(name: string, kind: string): [Client, string, string] {
    if (!this.namespaced) {
      const [server, client] = [...this.clients][0] as [string, Client];
      return [client, name, server];
    }
    // Longest server name first, so "a-b_x" goes to "a-b" rather than "a" when both exist.
    const servers = [...this.clients.keys()].sort((a, b) => b.length - a.length);
    for (const server of servers) {
      if (name.startsWith(`${server}_`)) return [this.clients.get(server) as Client, name.slice(server.length + 1), server];
    }
    throw new McpkitError(ErrorCodes.NOT_FOUND, `Unknown ${kind} '${name}': expected <server>_<name> with a server from the configuration`);
  }

  private routeUri(uri: string): [Client, string, string] {
    if (!this.namespaced) return this.route(uri, "resource");
    const at = uri.indexOf("://");
    if (at !== -1) {
      const rest = uri.slice(at + 3);
      const slash = rest.indexOf("/");
      const server = slash === -1 ? rest : rest.slice(0, slash);
      const client = this.clients.get(server);
      if (client !== undefined) return [client, `${uri.slice(0, at + 3)}${slash === -1 ? "" : rest.slice(slash + 1)}`, server];
    } else {
      const plus = uri.indexOf("+");
      const client = plus === -1 ? undefined : this.clients.get(uri.slice(0, plus));
      if (client !== undefined) return [client, uri.slice(plus + 1), uri.slice(0, plus)];
    }
    throw new McpkitError(ErrorCodes.NOT_FOUND, `Unknown resource '${uri}': expected <scheme>://<server>/... with a server from the configuration`);
  }
}
