import type { Prompt, Resource, ResourceTemplate, Tool } from "../components/index.js";

/** Any component a provider supplies. */
export type Component = Tool | Resource | ResourceTemplate | Prompt;

/** The four kinds of component lists. */
export type ComponentKind = "tool" | "resource" | "template" | "prompt";

type MaybePromise<T> = T | Promise<T>;

/**
 * A source of components: local registrations, a mounted server, a proxy, an
 * OpenAPI spec... The server asks providers in order; the first answer wins,
 * so local components shadow the others. `get*` methods are optional fast
 * paths; without them a lookup scans the list.
 */
export interface Provider {
  listTools(): MaybePromise<readonly Tool[]>;
  listResources(): MaybePromise<readonly Resource[]>;
  listResourceTemplates(): MaybePromise<readonly ResourceTemplate[]>;
  listPrompts(): MaybePromise<readonly Prompt[]>;
  getTool?(name: string): MaybePromise<Tool | undefined>;
  getResource?(uri: string): MaybePromise<Resource | undefined>;
  getPrompt?(name: string): MaybePromise<Prompt | undefined>;
}
