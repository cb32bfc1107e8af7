import type { ServerResponse } from "node:http";

/**
 * Write a web `Response` to a Node response: status and headers, then the
 * body, streamed as it comes for an event stream (each chunk is written as
 * soon as it is produced) and whole otherwise. A client that goes away
 * cancels the body, which tells the producer to stop.
 */
export async function writeWebResponse(response: ServerResponse, answer: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  answer.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = answer.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  if (answer.body === null) {
    response.writeHead(answer.status, headers);
    response.end();
    return;
  }
  if (!(answer.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
    const body = Buffer.from(await answer.arrayBuffer());
    response.writeHead(answer.status, { ...headers, "content-length": String(body.length) });
    response.end(body);
    return;
  }
  response.writeHead(answer.status, headers);
  response.flushHeaders();
  const reader = answer.body.getReader();
  response.once("close", () => void reader.cancel().catch(() => undefined));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      response.write(value);
    }
  } finally {
    response.end();
  }
}
