let replayId: string | undefined;

/**
 * The id of the `initialize` a bare connection (src/protocol/bare-connection.ts)
 * replays to the SDK server it hands over to, so that server holds the
 * handshake's state. Random per process, so no client can send it: the SDK
 * server's middleware wrapper skips this one request (the middleware saw the
 * client's own `initialize` already) and its answer is never written. Made on
 * first use: the global `crypto` is not free to load at start-up.
 */
export function handshakeReplayId(): string {
  replayId ??= `mcpkit:handshake-replay:${crypto.randomUUID()}`;
  return replayId;
}

/** Whether `message` is the replayed handshake (the request, or the SDK server's answer to it). */
export function isHandshakeReplay(message: unknown): boolean {
  return replayId !== undefined && typeof message === "object" && message !== null && (message as { id?: unknown }).id === replayId;
}
