import type { ClientCapabilities, Root } from "../protocol/index.js";
import type { SdkClient } from "../protocol/client/index.js";
import type { ClientOptions } from "./options.js";

/** What the handlers read from their client as it changes. */
export interface HandlerState {
  roots(): readonly Root[];
  /** Called before the user's own list-changed hook (the client drops its cached tool list). */
  listChanged(list: "tools" | "resources" | "prompts"): void;
}

/**
 * Answer the server's requests (sampling, elicitation, roots) with the
 * handlers the options give, and route its notifications to the options' hooks.
 */
export function installHandlers(sdk: SdkClient, options: ClientOptions, state: HandlerState): void {
  const { sampling, elicitation, onLog, onListChanged, onResourceUpdated } = options;
  if (sampling !== undefined) {
    sdk.setRequestHandler("sampling/createMessage", async (request) => {
      const answer = await sampling(request.params as never);
      return (typeof answer === "string"
        ? { role: "assistant", content: { type: "text", text: answer }, model: "mcpkit-client", stopReason: "endTurn" }
        : answer) as never;
    });
  }
  if (elicitation !== undefined) {
    sdk.setRequestHandler("elicitation/create", async (request) => (await elicitation(request.params as never)) as never);
  }
  if (options.roots !== undefined) {
    sdk.setRequestHandler("roots/list", async () => ({ roots: [...state.roots()] }));
  }
  if (onLog !== undefined) {
    sdk.setNotificationHandler("notifications/message", (n) => onLog({ level: n.params.level, logger: n.params.logger, data: n.params.data }));
  }
  for (const list of ["tools", "resources", "prompts"] as const) {
    sdk.setNotificationHandler(`notifications/${list}/list_changed`, () => {
      state.listChanged(list);
      onListChanged?.(list);
    });
  }
  if (onResourceUpdated !== undefined) {
    sdk.setNotificationHandler("notifications/resources/updated", (n) => onResourceUpdated(n.params.uri));
  }
}

/** The capabilities the options imply, keeping any capability objects the caller declared. */
export function capabilitiesFor(options: ClientOptions): ClientCapabilities {
  return {
    ...options.capabilities,
    // Declared capability objects are kept (e.g. `elicitation.form.applyDefaults`), filled in where a handler implies them.
    ...(options.sampling === undefined ? {} : { sampling: { ...options.capabilities?.sampling } }),
    ...(options.elicitation === undefined ? {} : { elicitation: { form: {}, url: {}, ...options.capabilities?.elicitation } }),
    ...(options.roots === undefined ? {} : { roots: { listChanged: true, ...options.capabilities?.roots } }),
  } as ClientCapabilities;
}
