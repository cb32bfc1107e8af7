/** The first protocol revision whose requests each carry their own `_meta` envelope. */
export const MODERN = "2026-07-28";

/**
 * The 2025-era revisions a server negotiates in `initialize`, most preferred
 * first: the SDK's list (a test holds the two equal), kept here so the
 * handshake can be answered before the SDK is loaded.
 */
export const LEGACY_PROTOCOL_VERSIONS: readonly string[] = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05", "2024-10-07"];
