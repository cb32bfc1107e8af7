import type { ServerCapabilities } from "./wire.js";

/**
 * A live connection's server side as change pushes reach it: an SDK
 * `Server`, or a connection's bare record before it needed the SDK
 * (src/protocol/bare-connection.ts).
 */
export interface Peer {
  readonly transport: unknown;
  onclose?: (() => void) | undefined;
  getNegotiatedProtocolVersion(): string | undefined;
  getCapabilities(): ServerCapabilities;
  sendToolListChanged(): Promise<void>;
  sendPromptListChanged(): Promise<void>;
  sendResourceListChanged(): Promise<void>;
  sendResourceUpdated(params: { uri: string }): Promise<void>;
}

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
  // Weak, because the SDK may build an instance (a discover probe) that is
  // never connected and never closed: it must not stay reachable from here.
  private readonly live = new Set<WeakRef<Peer>>();
  private readonly subscriptions = new WeakMap<Peer, Set<string>>();

  add(server: Peer): void {
    const ref = new WeakRef(server);
    this.live.add(ref);
    const previous = server.onclose;
    server.onclose = () => {
      this.live.delete(ref);
      previous?.();
    };
  }

  /** Stop pushing to `server` (a bare connection handed over to an SDK server, which is added instead). */
  remove(server: Peer): void {
    for (const ref of this.live) if (ref.deref() === server) this.live.delete(ref);
    this.subscriptions.delete(server);
  }

  subscribe(server: Peer, uri: string): void {
    // Made on the first subscription: most connections never subscribe, and a session's every byte counts.
    const uris = this.subscriptions.get(server);
    if (uris === undefined) this.subscriptions.set(server, new Set([uri]));
    else uris.add(uri);
  }

  unsubscribe(server: Peer, uri: string): void {
    this.subscriptions.get(server)?.delete(uri);
  }

  /** Live connections (those not yet closed or collected). */
  get size(): number {
    let n = 0;
    for (const ref of this.live) if (ref.deref() !== undefined) n++;
    return n;
  }

  /** Deliver one change; a peer that went away is dropped, never fatal. */
  async publish(event: ChangeEvent): Promise<void> {
    const sends: Promise<void>[] = [];
    for (const ref of this.live) {
      const server = ref.deref();
      if (server === undefined) {
        this.live.delete(ref);
        continue;
      }
      if (server.transport === undefined) continue;
      const uris = this.subscriptions.get(server);
      if (event.kind === "resource_updated" && !uris?.has(event.uri) && !isModernInstance(server)) continue;
      sends.push(send(server, event).catch(() => undefined));
    }
    await Promise.all(sends);
  }
}

function isModernInstance(server: Peer): boolean {
  const version = server.getNegotiatedProtocolVersion();
  return version !== undefined && version >= "2026-07-28";
}

function send(server: Peer, event: ChangeEvent): Promise<void> {
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
