import type { Prompt, Resource, ResourceTemplate, Tool } from "../components/index.js";

/**
 * Changes components on their way out (rename, hide) and maps requested
 * names back on the way in. Every forward mapping must have its reverse, so
 * a hidden or renamed component answers exactly as an unknown one does.
 * Omitted methods leave that kind untouched.
 */
export interface Transform {
  /** The tool as listed, or `undefined` to hide it. */
  tool?(tool: Tool): Tool | undefined;
  /** The inner name a requested tool name maps to, or `undefined` when it cannot be this transform's output. */
  toolName?(requested: string): string | undefined;
  resource?(resource: Resource): Resource | undefined;
  resourceUri?(requested: string): string | undefined;
  template?(template: ResourceTemplate): ResourceTemplate | undefined;
  /** Maps a requested concrete URI back for template matching. */
  templateUri?(requested: string): string | undefined;
  prompt?(prompt: Prompt): Prompt | undefined;
  promptName?(requested: string): string | undefined;
}

/** Hide components by name or tag. */
export interface VisibilityRule {
  /** Tool and prompt names, resource URIs and template strings. */
  names?: readonly string[];
  tags?: readonly string[];
}

/**
 * A transform that hides components matching a rule (`disable`) or all but
 * those matching it (`only`).
 */
export function visibility(rule: VisibilityRule, mode: "disable" | "only" = "disable"): Transform {
  const names = new Set(rule.names ?? []);
  const tags = new Set(rule.tags ?? []);
  const matches = (id: string, componentTags: readonly string[]) =>
    names.has(id) || componentTags.some((t) => tags.has(t));
  const keep = (id: string, componentTags: readonly string[]) =>
    mode === "disable" ? !matches(id, componentTags) : matches(id, componentTags);
  return {
    tool: (t) => (keep(t.name, t.base.tags) ? t : undefined),
    resource: (r) => (keep(r.uri, r.base.tags) ? r : undefined),
    template: (t) => (keep(t.uriTemplate, t.base.tags) ? t : undefined),
    prompt: (p) => (keep(p.name, p.base.tags) ? p : undefined),
  };
}
