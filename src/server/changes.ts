import type { ChangeEvent, Connections, HttpServing } from "../protocol/index.js";
import type { ComponentKind } from "../providers/index.js";

type ListName = "tools" | "resources" | "prompts";

/**
 * Tells every live peer that a list or a resource changed: long-lived
 * connections (stdio, in memory, 2025 sessions) and the HTTP endpoints' open
 * `subscriptions/listen` streams.
 */
export class ChangeBroadcaster {
  private readonly pending = new Set<ListName>();

  constructor(
    private readonly connections: Connections,
    private readonly endpoints: () => Iterable<{ serving: HttpServing }>,
  ) {}

  /**
   * A component of this kind changed. Bursts (many registrations in one tick)
   * collapse into one notification per list; resources and templates share
   * `resources/list_changed`, so they are keyed by the list, not the kind.
   */
  changed(kind: ComponentKind): void {
    if (this.pending.size === 0) {
      queueMicrotask(() => {
        const lists = [...this.pending];
        this.pending.clear();
        for (const list of lists) void this.publish({ kind: list });
      });
    }
    this.pending.add(kind === "tool" ? "tools" : kind === "prompt" ? "prompts" : "resources");
  }

  /** Every list may have changed (a provider or visibility rule was added). */
  changedAll(): void {
    for (const kind of ["tool", "resource", "prompt"] as const) this.changed(kind);
  }

  /** Deliver one event now. */
  async publish(event: ChangeEvent): Promise<void> {
    for (const endpoint of this.endpoints()) endpoint.serving.publish(event);
    await this.connections.publish(event);
  }
}
