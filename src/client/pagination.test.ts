import { describe, expect, it } from "vitest";
import { ErrorCodes } from "../errors/index.js";
import { walkPages } from "./pagination.js";

/** A fake server's pages, keyed by cursor ("" for the first); records the cursors asked for. */
function pages(book: Record<string, { items: string[]; next?: string }>) {
  const asked: (string | undefined)[] = [];
  const fetchPage = async (cursor: string | undefined) => {
    asked.push(cursor);
    const page = book[cursor ?? ""] ?? { items: [] };
    return { items: page.items, ...(page.next === undefined ? {} : { nextCursor: page.next }) };
  };
  return { asked, fetchPage };
}

describe("walkPages", () => {
  it("follows nextCursor to the end and concatenates the pages", async () => {
    const { asked, fetchPage } = pages({ "": { items: ["a", "b"], next: "p2" }, p2: { items: ["c"], next: "p3" }, p3: { items: ["d"] } });
    expect(await walkPages("items", fetchPage)).toEqual(["a", "b", "c", "d"]);
    expect(asked).toEqual([undefined, "p2", "p3"]);
  });

  it("stops when the server repeats a cursor instead of looping forever", async () => {
    const { asked, fetchPage } = pages({ "": { items: ["a"], next: "x" }, x: { items: ["b"], next: "y" }, y: { items: ["c"], next: "x" } });
    expect(await walkPages("items", fetchPage)).toEqual(["a", "b", "c"]);
    expect(asked).toEqual([undefined, "x", "y"]);
  });

  it("fails clearly past the page cap", async () => {
    const book: Record<string, { items: string[]; next?: string }> = { "": { items: ["0"], next: "1" } };
    for (let i = 1; i < 50; i++) book[String(i)] = { items: [String(i)], next: String(i + 1) };
    const { asked, fetchPage } = pages(book);
    await expect(walkPages("items", fetchPage, 5)).rejects.toMatchObject({
      code: ErrorCodes.INVALID_RESULT,
      message: expect.stringContaining("more than 5 pages"),
    });
    expect(asked).toHaveLength(5);
  });
});
