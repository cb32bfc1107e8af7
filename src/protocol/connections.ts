import type { Server } from "@modelcontextprotocol/server";

/** A server-initiated change every live connection should hear about. */
export type ChangeEvent =
  | { kind: "tools" }
  | { kind: "prompts" }
  | { kind: "resources" }
  | { kind: "resource_updated"; uri: string };

/**
 * The long-lived connections (stdio, in-memory, sessionful HTTP) with their
 * resource subscriptions, so a change reaches exactly the peers that can hear it.
 */
export class Connections {
  private readonly subscriptions = new Map<Server, Set<string>>();

  add(server: Server): void {
    this.subscriptions.set(server, new Set());
    const previous = server.onclose;
    server.onclose = () => {
      this.subscriptions.delete(server);
      previous?.();
    };
  }

  subscribe(server: Server, uri: string): void {
    this.subscriptions.get(server)?.add(uri);
  }

  unsubscribe(server: Server, uri: string): void {
    this.subscriptions.get(server)?.delete(uri);
  }

  get size(): number {
    return this.subscriptions.size;
  }

  /** Deliver one change; a peer that went away is dropped, never fatal. */
  async publish(event: ChangeEvent): Promise<void> {
    const sends: Promise<void>[] = [];
    for (const [server, uris] of this.subscriptions) {
      if (server.transport === undefined) continue;
      if (event.kind === "resource_updated" && !uris.has(event.uri) && !isModernInstance(server)) continue;
      sends.push(send(server, event).catch(() => undefined));
    }
    await Promise.all(sends);
  }
}

function isModernInstance(server: Server): boolean {
  const version = server.getNegotiatedProtocolVersion();
  return version !== undefined && version >= "2026-07-28";
}

function send(server: Server, event: ChangeEvent): Promise<void> {
  const caps = server.getCapabilities();
  switch (event.kind) {
    case "tools":
      return caps.tools?.listChanged ? server.sendToolListChanged() : Promise.resolve();
    case "prompts":
      return caps.prompts?.listChanged ? server.sendPromptListChanged() : Promise.resolve();
    case "resources":
      return caps.resources?.listChanged ? server.sendResourceListChanged() : Promise.resolve();
    case "resource_updated":
      return server.sendResourceUpdated({ uri: event.uri });
  }
}
