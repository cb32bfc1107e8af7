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
  prompt?(prompt: Prompt): Prompt | undefined;
  promptName?(requested: string): string | undefined;
}

/** Which components a visibility rule matches: by name (or URI) or by tag. */
export interface VisibilityRule {
  /** Tool and prompt names, resource URIs and template strings. */
  names?: readonly string[];
  tags?: readonly string[];
}

interface CompiledRule {
  readonly show: boolean;
  matches(id: string, tags: readonly string[]): boolean;
}

function compile(rule: VisibilityRule | "all", show: boolean): CompiledRule {
  if (rule === "all") return { show, matches: () => true };
  const names = new Set(rule.names ?? []);
  const tags = new Set(rule.tags ?? []);
  return { show, matches: (id, componentTags) => names.has(id) || componentTags.some((t) => tags.has(t)) };
}

/**
 * Visibility as an ordered list of rules: the last rule matching a component
 * decides; a component no rule matches is shown. So `only(a)` then `enable(b)`
 * shows a and b, and `disable(x)` then `enable(x)` shows x again.
 */
export class Visibility implements Transform {
  private rules: CompiledRule[] = [];

  /** Hide what matches. */
  disable(rule: VisibilityRule): void {
    this.rules.push(compile(rule, false));
  }

  /** Show what matches, over earlier rules. */
  enable(rule: VisibilityRule): void {
    this.rules.push(compile(rule, true));
  }

  /** Show only what matches: hide everything, then enable the rule. */
  only(rule: VisibilityRule): void {
    this.rules.push(compile("all", false), compile(rule, true));
  }

  /** Forget every rule. */
  reset(): void {
    this.rules = [];
  }

  /** Whether a component with this id and tags is visible. */
  shows(id: string, tags: readonly string[]): boolean {
    for (let i = this.rules.length - 1; i >= 0; i--) {
      const rule = this.rules[i] as CompiledRule;
      if (rule.matches(id, tags)) return rule.show;
    }
    return true;
  }

  tool = <T extends { name: string; base: { tags: readonly string[] } }>(t: T) => (this.shows(t.name, t.base.tags) ? t : undefined);
  resource = <T extends { uri: string; base: { tags: readonly string[] } }>(r: T) => (this.shows(r.uri, r.base.tags) ? r : undefined);
  template = <T extends { uriTemplate: string; base: { tags: readonly string[] } }>(t: T) =>
    this.shows(t.uriTemplate, t.base.tags) ? t : undefined;
  prompt = <T extends { name: string; base: { tags: readonly string[] } }>(p: T) => (this.shows(p.name, p.base.tags) ? p : undefined);
}

/**
 * A standalone transform that hides components matching a rule (`disable`) or
 * all but those matching it (`only`).
 */
export function visibility(rule: VisibilityRule, mode: "disable" | "only" = "disable"): Transform {
  const v = new Visibility();
  if (mode === "disable") v.disable(rule);
  else v.only(rule);
  return v;
}
