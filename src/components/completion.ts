/** What a completer sees besides the partial value: other arguments already filled in. */
export interface CompletionContext {
  readonly arguments: Readonly<Record<string, string>>;
}

/**
 * Suggest values for an argument from what the user typed so far. Return at
 * most 100 values (the protocol's page); more are cut and `hasMore` is set.
 */
export type Completer = (value: string, context: CompletionContext) => readonly string[] | Promise<readonly string[]>;

/** The `completion/complete` answer for a list of suggestions. */
export function completionResult(values: readonly string[]): { completion: { values: string[]; total: number; hasMore: boolean } } {
  return { completion: { values: values.slice(0, 100), total: values.length, hasMore: values.length > 100 } };
}
