import { ErrorCodes, McpkitError } from "../errors/index.js";
import type { Icon } from "../protocol/index.js";

/** Fields every component (tool, resource, template, prompt) shares. */
export interface ComponentOptions {
  /** A human-friendly display name. */
  title?: string;
  description?: string;
  icons?: readonly Icon[];
  /** Free-form labels, used for filtering and visibility; sent as `_meta.mcpkit.tags`. */
  tags?: readonly string[];
  /** Static metadata sent as the component's `_meta`. */
  meta?: Record<string, unknown>;
  /** The component's own version (not the server's). */
  version?: string | number;
  /** `false` registers the component hidden. */
  enabled?: boolean;
}

/** The normalised shared fields. */
export interface ComponentBase {
  readonly title: string | undefined;
  readonly description: string | undefined;
  readonly icons: readonly Icon[] | undefined;
  readonly tags: readonly string[];
  readonly meta: Readonly<Record<string, unknown>> | undefined;
  readonly version: string | undefined;
  readonly enabled: boolean;
}

/** Normalise and check the shared fields. */
export function normaliseBase(options: ComponentOptions, owner: string): ComponentBase {
  if (options.meta !== undefined && (typeof options.meta !== "object" || Array.isArray(options.meta))) {
    throw new McpkitError(ErrorCodes.INVALID_COMPONENT, `${owner}: meta must be an object`);
  }
  const own = options.meta?.mcpkit;
  // mcpkit merges its tags and version into `meta.mcpkit`; anything but an object there would be mangled.
  if (own !== undefined && (typeof own !== "object" || own === null || Array.isArray(own))) {
    throw new McpkitError(ErrorCodes.INVALID_COMPONENT, `${owner}: meta.mcpkit must be an object`);
  }
  const version = options.version === undefined ? undefined : String(options.version);
  if (version !== undefined && (version === "" || version.includes("@"))) {
    throw new McpkitError(ErrorCodes.INVALID_COMPONENT, `${owner}: version must be non-empty and must not contain '@'`);
  }
  return {
    title: options.title,
    description: options.description,
    icons: options.icons,
    tags: [...new Set(options.tags ?? [])].sort(),
    meta: options.meta,
    version,
    enabled: options.enabled ?? true,
  };
}

/** The `_meta` a component carries on the wire: user meta plus mcpkit's tags and the component's version. */
export function wireMeta(base: ComponentBase): Record<string, unknown> | undefined {
  if (base.tags.length === 0 && base.version === undefined) return base.meta === undefined ? undefined : { ...base.meta };
  const own = (base.meta?.mcpkit ?? {}) as Record<string, unknown>;
  // The version has no field of its own in MCP; clients see it here, as FastMCP sends `meta.fastmcp.version`.
  return {
    ...base.meta,
    mcpkit: {
      ...own,
      ...(base.tags.length === 0 ? {} : { tags: [...base.tags] }),
      ...(base.version === undefined ? {} : { version: base.version }),
    },
  };
}

/** The shared wire fields, leaving out what is unset. */
export function wireBase(base: ComponentBase): Record<string, unknown> {
  const meta = wireMeta(base);
  return {
    ...(base.title === undefined ? {} : { title: base.title }),
    ...(base.description === undefined ? {} : { description: base.description }),
    ...(base.icons === undefined ? {} : { icons: [...base.icons] }),
    ...(meta === undefined ? {} : { _meta: meta }),
  };
}

/** A component's key: kind, identifier and version, e.g. `tool:add@2`. */
export function componentKey(kind: string, id: string, version: string | undefined): string {
  return `${kind}:${id}@${version ?? ""}`;
}

const TOOL_NAME = /^[A-Za-z0-9_.\-/]{1,128}$/;

/** Check a tool or prompt name: 1-128 characters of letters, digits, `_`, `-`, `.` and `/`. */
export function checkName(name: unknown, kind: string): string {
  if (typeof name !== "string" || !TOOL_NAME.test(name)) {
    throw new McpkitError(
      ErrorCodes.INVALID_COMPONENT,
      `Invalid ${kind} name ${JSON.stringify(name)}: use 1-128 characters of letters, digits, '_', '-', '.' or '/'`,
    );
  }
  return name;
}
