export { Context, type ContextServer, type ElicitOptions, type RequestInfo, type SessionInfo } from "./context.js";
export { Ask, type SampleOptions, type SampleResult } from "./asks.js";
export type {
  AcceptedElicitation,
  CancelledElicitation,
  DeclinedElicitation,
  ElicitationResult,
  ElicitedData,
} from "./elicitation.js";
