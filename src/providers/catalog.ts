import type { Prompt, Resource, ResourceTemplate, Tool } from "../components/index.js";
import type { Provider } from "./provider.js";
import type { Transform } from "./transform.js";

type Forward<T> = (t: Transform, c: T) => T | undefined;
type Reverse = (t: Transform, id: string) => string | undefined;

/**
 * All providers seen through the transform pipeline: what lists show and
 * what lookups find are the same set, by construction.
 */
export class Catalog {
  constructor(
    private readonly providers: readonly Provider[],
    private readonly transforms: readonly Transform[],
  ) {}

  async listTools(): Promise<Tool[]> {
    return this.list((p) => p.listTools(), (t, c) => (t.tool ? t.tool(c) : c), (c) => c.name);
  }

  async listResources(): Promise<Resource[]> {
    return this.list((p) => p.listResources(), (t, c) => (t.resource ? t.resource(c) : c), (c) => c.uri);
  }

  async listResourceTemplates(): Promise<ResourceTemplate[]> {
    return this.list((p) => p.listResourceTemplates(), (t, c) => (t.template ? t.template(c) : c), (c) => c.uriTemplate);
  }

  async listPrompts(): Promise<Prompt[]> {
    return this.list((p) => p.listPrompts(), (t, c) => (t.prompt ? t.prompt(c) : c), (c) => c.name);
  }

  async getTool(name: string): Promise<Tool | undefined> {
    return this.get(
      name,
      (t, id) => (t.toolName ? t.toolName(id) : id),
      async (p, id) => (p.getTool ? p.getTool(id) : (await p.listTools()).find((c) => c.name === id)),
      (t, c) => (t.tool ? t.tool(c) : c),
      (c) => c.name,
    );
  }

  async getResource(uri: string): Promise<Resource | undefined> {
    return this.get(
      uri,
      (t, id) => (t.resourceUri ? t.resourceUri(id) : id),
      async (p, id) => (p.getResource ? p.getResource(id) : (await p.listResources()).find((c) => c.uri === id)),
      (t, c) => (t.resource ? t.resource(c) : c),
      (c) => c.uri,
    );
  }

  async getPrompt(name: string): Promise<Prompt | undefined> {
    return this.get(
      name,
      (t, id) => (t.promptName ? t.promptName(id) : id),
      async (p, id) => (p.getPrompt ? p.getPrompt(id) : (await p.listPrompts()).find((c) => c.name === id)),
      (t, c) => (t.prompt ? t.prompt(c) : c),
      (c) => c.name,
    );
  }

  /** The first visible template matching `uri`, with its variables. */
  async matchTemplate(uri: string): Promise<{ template: ResourceTemplate; params: Record<string, string> } | undefined> {
    for (const template of await this.listResourceTemplates()) {
      const params = template.match(uri);
      if (params !== undefined) return { template, params };
    }
    return undefined;
  }

  private async list<T>(
    read: (p: Provider) => readonly T[] | Promise<readonly T[]>,
    forward: Forward<T>,
    id: (c: T) => string,
  ): Promise<T[]> {
    const seen = new Set<string>();
    const out: T[] = [];
    for (const provider of this.providers) {
      for (const component of await read(provider)) {
        const shown = this.forward(component, forward);
        if (shown === undefined) continue;
        const key = id(shown);
        // Earlier providers shadow later ones under the same name.
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(shown);
      }
    }
    return out;
  }

  private async get<T>(
    requested: string,
    reverse: Reverse,
    find: (p: Provider, id: string) => Promise<T | undefined>,
    forward: Forward<T>,
    id: (c: T) => string,
  ): Promise<T | undefined> {
    let inner: string | undefined = requested;
    for (let i = this.transforms.length - 1; i >= 0 && inner !== undefined; i--) {
      inner = reverse(this.transforms[i] as Transform, inner);
    }
    if (inner === undefined) return undefined;
    for (const provider of this.providers) {
      const found = await find(provider, inner);
      if (found === undefined) continue;
      const shown = this.forward(found, forward);
      if (shown !== undefined && id(shown) === requested) return shown;
      // Hidden, or a transform mapped it elsewhere: a later provider may still list this
      // name (as `list` does), so keep looking; when none does, answer as if unknown.
    }
    return undefined;
  }

  private forward<T>(component: T, forward: Forward<T>): T | undefined {
    // `enabled: false` at registration hides the component from lists and lookups alike.
    if ((component as { base?: { enabled?: boolean } }).base?.enabled === false) return undefined;
    let current: T | undefined = component;
    for (const transform of this.transforms) {
      if (current === undefined) return undefined;
      current = forward(transform, current);
    }
    return current;
  }
}
