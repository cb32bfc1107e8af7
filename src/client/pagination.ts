import { ErrorCodes, McpkitError } from "../errors/index.js";

/** The default cap on pages one listing may take. */
export const DEFAULT_MAX_PAGES = 100;

/**
 * Follow `nextCursor` to the end. Stops when a cursor comes back a second
 * time (a server that loops would otherwise never finish) and fails past
 * `maxPages` pages, so a broken server cannot keep a listing going forever.
 */
export async function walkPages<K extends string, T>(
  key: K,
  fetchPage: (cursor: string | undefined) => Promise<{ nextCursor?: string | undefined } & { [P in K]: T[] }>,
  maxPages: number = DEFAULT_MAX_PAGES,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let pages = 0; ; pages++) {
    if (pages >= maxPages) {
      throw new McpkitError(ErrorCodes.INVALID_RESULT, `Listing ${key} took more than ${maxPages} pages: the server's pagination does not end`);
    }
    const page = await fetchPage(cursor);
    items.push(...page[key]);
    cursor = page.nextCursor;
    if (cursor === undefined || seen.has(cursor)) return items;
    seen.add(cursor);
  }
}
