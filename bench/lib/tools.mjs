/** The three calls every framework answers, and checks of their answers. */
export const CALLS = [
  { name: "add", arguments: { a: 2, b: 3 } },
  { name: "echo", arguments: { text: "hello, bench" } },
  { name: "calc", arguments: { a: 6, b: 7 } },
];

/** Throw unless `result` (a CallToolResult) is the right answer to CALLS[i]. */
export function checkResult(i, result) {
  const text = result?.content?.[0]?.text;
  if (i === 0 && text === "5") return;
  if (i === 1 && text === "hello, bench") return;
  if (i === 2) {
    const data = result?.structuredContent ?? (typeof text === "string" ? JSON.parse(text) : undefined);
    if (data?.sum === 13 && data?.product === 42) return;
  }
  throw new Error(`${CALLS[i].name} answered ${JSON.stringify(result).slice(0, 300)}`);
}
