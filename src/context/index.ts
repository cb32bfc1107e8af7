export {
  Context,
  type ContextServer,
  type ElicitOptions,
  type RequestInfo,
  type SampleOptions,
  type SampleResult,
  type SessionInfo,
} from "./context.js";
export type {
  AcceptedElicitation,
  CancelledElicitation,
  DeclinedElicitation,
  ElicitationResult,
  ElicitedData,
} from "./elicitation.js";
