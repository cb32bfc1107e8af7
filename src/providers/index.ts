export type { Provider, Component, ComponentKind } from "./provider.js";
export { LocalProvider, type DuplicatePolicy, type ChangeListener } from "./local-provider.js";
export { visibility, Visibility, type Transform, type VisibilityRule } from "./transform.js";
export { Catalog } from "./catalog.js";
