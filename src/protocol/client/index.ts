/**
 * The client side of the protocol port (its own door, so server-only code
 * never loads the SDK client). `stdio.ts` is Node-only and loaded on demand.
 */
export * from "./sdk.js";
export * from "./oauth.js";
