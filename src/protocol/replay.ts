/**
 * The id of the `initialize` a bare connection (src/protocol/bare-connection.ts)
 * replays to the SDK server it hands over to, so that server holds the
 * handshake's state. Random per process, so no client can send it: the SDK
 * server's middleware wrapper skips this one request (the middleware saw the
 * client's own `initialize` already) and its answer is never written.
 */
export const HANDSHAKE_REPLAY_ID = `mcpkit:handshake-replay:${crypto.randomUUID()}`;

/** Whether `message` is the replayed handshake (the request, or the SDK server's answer to it). */
export function isHandshakeReplay(message: unknown): boolean {
  return typeof message === "object" && message !== null && (message as { id?: unknown }).id === HANDSHAKE_REPLAY_ID;
}
