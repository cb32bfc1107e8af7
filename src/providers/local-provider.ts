import type { Prompt, Resource, ResourceTemplate, Tool } from "../components/index.js";
import { ErrorCodes, McpkitError } from "../errors/index.js";
import type { ComponentKind, Provider } from "./provider.js";

/** What to do when a component is registered under a name that is taken. */
export type DuplicatePolicy = "warn" | "error" | "replace" | "ignore";

/** Called after the local set of a kind changes. */
export type ChangeListener = (kind: ComponentKind) => void;

/**
 * The components registered with `mcp.tool(...)`, `mcp.resource(...)` and
 * `mcp.prompt(...)`. Lookups by name or URI are map reads.
 */
export class LocalProvider implements Provider {
  private readonly tools = new Map<string, Tool>();
  private readonly resources = new Map<string, Resource>();
  private readonly templates = new Map<string, ResourceTemplate>();
  private readonly prompts = new Map<string, Prompt>();
  private readonly listeners = new Set<ChangeListener>();

  constructor(
    private readonly onDuplicate: DuplicatePolicy = "error",
    private readonly warn: (message: string) => void = (m) => console.warn(m),
  ) {}

  /** Hear about every change (used by the server to send list-changed notifications). */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  addTool(tool: Tool): Tool {
    return this.add(this.tools, tool.name, tool, "tool");
  }

  addResource(resource: Resource): Resource {
    return this.add(this.resources, resource.uri, resource, "resource");
  }

  addTemplate(template: ResourceTemplate): ResourceTemplate {
    return this.add(this.templates, template.uriTemplate, template, "template");
  }

  addPrompt(prompt: Prompt): Prompt {
    return this.add(this.prompts, prompt.name, prompt, "prompt");
  }

  /** Remove a tool by name; `true` when one was removed. */
  removeTool(name: string): boolean {
    return this.remove(this.tools, name, "tool");
  }

  /** Remove a resource by URI. */
  removeResource(uri: string): boolean {
    return this.remove(this.resources, uri, "resource");
  }

  /** Remove a template by its template string. */
  removeTemplate(uriTemplate: string): boolean {
    return this.remove(this.templates, uriTemplate, "template");
  }

  /** Remove a prompt by name. */
  removePrompt(name: string): boolean {
    return this.remove(this.prompts, name, "prompt");
  }

  listTools(): readonly Tool[] {
    return [...this.tools.values()];
  }

  listResources(): readonly Resource[] {
    return [...this.resources.values()];
  }

  listResourceTemplates(): readonly ResourceTemplate[] {
    return [...this.templates.values()];
  }

  listPrompts(): readonly Prompt[] {
    return [...this.prompts.values()];
  }

  getTool(name: string): Tool | undefined {
    return this.tools.get(name);
  }

  getResource(uri: string): Resource | undefined {
    return this.resources.get(uri);
  }

  getPrompt(name: string): Prompt | undefined {
    return this.prompts.get(name);
  }

  private add<T>(map: Map<string, T>, id: string, component: T, kind: ComponentKind): T {
    const existing = map.get(id);
    if (existing !== undefined) {
      switch (this.onDuplicate) {
        case "error":
          throw new McpkitError(ErrorCodes.DUPLICATE_COMPONENT, `A ${kind} named '${id}' is already registered`);
        case "ignore":
          return existing;
        case "warn":
          this.warn(`mcpkit: replacing the ${kind} '${id}', which was already registered`);
          break;
        case "replace":
          break;
      }
    }
    map.set(id, component);
    this.emit(kind);
    return component;
  }

  private remove<T>(map: Map<string, T>, id: string, kind: ComponentKind): boolean {
    const removed = map.delete(id);
    if (removed) this.emit(kind);
    return removed;
  }

  private emit(kind: ComponentKind): void {
    for (const listener of this.listeners) listener(kind);
  }
}
