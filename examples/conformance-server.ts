/**
 * The fixture server the official MCP conformance suite drives: the tool,
 * resource and prompt names below are the ones its scenarios call. Every
 * handler is ordinary mcpkit code; the same code serves both protocol eras.
 *
 * Run: PORT=3000 tsx examples/conformance-server.ts
 */
import { z } from "zod";
import { Ask, FastMCP, image, message, audio } from "mcpkit";

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
const WAV = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const mcp = new FastMCP({ name: "mcpkit-conformance-server", version: "1.0.0" });

const nameForm = { type: "object", properties: { name: { type: "string" } }, required: ["name"] } as const;
const confirmForm = { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] } as const;

// Content tools.
mcp.tool({ name: "test_simple_text", description: "Returns simple text" }, () => "This is a simple text response for testing.");
mcp.tool({ name: "test_image_content", description: "Returns an image" }, () => image(PNG, "image/png"));
mcp.tool({ name: "test_audio_content", description: "Returns audio" }, () => audio(WAV, "audio/wav"));
mcp.tool({ name: "test_embedded_resource", description: "Returns an embedded resource" }, () => ({
  type: "resource",
  resource: { uri: "test://embedded-resource", mimeType: "text/plain", text: "This is an embedded resource content." },
}));
mcp.tool({ name: "test_multiple_content_types", description: "Returns text, image and a resource" }, () => [
  "Multiple content types test:",
  image(PNG, "image/png"),
  {
    type: "resource",
    resource: { uri: "test://mixed-content-resource", mimeType: "application/json", text: JSON.stringify({ test: "data", value: 123 }) },
  },
]);
mcp.tool({ name: "test_error_handling", description: "Always fails" }, () => {
  throw new Error("This tool intentionally returns an error for testing");
});

// Logging and progress.
mcp.tool({ name: "test_tool_with_logging", description: "Logs while running", input: z.object({}) }, async (_args, ctx) => {
  await ctx.info("Tool execution started");
  await sleep(50);
  await ctx.info("Tool processing data");
  await sleep(50);
  await ctx.info("Tool execution completed");
  return "Tool with logging executed successfully";
});
mcp.tool({ name: "test_logging_tool", description: "Logs once (delivered only when the request asks for logs)", input: z.object({}) }, async (_args, ctx) => {
  await ctx.info("test_logging_tool ran");
  return "logged through the request-scoped channel";
});
mcp.tool({ name: "test_tool_with_progress", description: "Reports progress", input: z.object({}) }, async (_args, ctx) => {
  for (const step of [0, 50, 100]) {
    await ctx.progress(step, 100, `Completed step ${step} of 100`);
    if (step < 100) await sleep(50);
  }
  return String(ctx.request.meta?.progressToken ?? "no-progress-token");
});

// Legacy push-style requests (the same ctx calls become input_required on modern requests).
mcp.tool(
  { name: "test_sampling", description: "Asks the client's model", input: z.object({ prompt: z.string() }) },
  async ({ prompt }, ctx) => {
    const reply = await ctx.sample(prompt, { maxTokens: 100 });
    return `LLM response: ${reply.text ?? "No response"}`;
  },
);
mcp.tool(
  { name: "test_elicitation", description: "Asks the user", input: z.object({ message: z.string() }) },
  async ({ message: text }, ctx) => {
    const answer = await ctx.elicit(text, {
      type: "object",
      properties: { response: { type: "string", description: "User's response" } },
      required: ["response"],
    });
    const content = answer.action === "accept" ? answer.data : {};
    return `User response: action=${answer.action}, content=${JSON.stringify(content)}`;
  },
);
mcp.tool({ name: "test_elicitation_sep1034_defaults", description: "Elicitation with defaults", input: z.object({}) }, async (_args, ctx) => {
  const answer = await ctx.elicit("Please review and update the form fields with defaults", {
    type: "object",
    properties: {
      name: { type: "string", description: "User name", default: "John Doe" },
      age: { type: "integer", description: "User age", default: 30 },
      score: { type: "number", description: "User score", default: 95.5 },
      status: { type: "string", description: "User status", enum: ["active", "inactive", "pending"], default: "active" },
      verified: { type: "boolean", description: "Verification status", default: true },
    },
    required: [],
  });
  const content = answer.action === "accept" ? answer.data : {};
  return `Elicitation completed: action=${answer.action}, content=${JSON.stringify(content)}`;
});
mcp.tool({ name: "test_elicitation_sep1330_enums", description: "Elicitation with enum variants", input: z.object({}) }, async (_args, ctx) => {
  const answer = await ctx.elicit("Please select options from the enum fields", {
    type: "object",
    properties: {
      untitledSingle: { type: "string", description: "Select one option", enum: ["option1", "option2", "option3"] },
      titledSingle: {
        type: "string",
        description: "Select one option with titles",
        oneOf: [
          { const: "value1", title: "First Option" },
          { const: "value2", title: "Second Option" },
          { const: "value3", title: "Third Option" },
        ],
      },
      legacyEnum: {
        type: "string",
        description: "Select one option (legacy)",
        enum: ["opt1", "opt2", "opt3"],
        enumNames: ["Option One", "Option Two", "Option Three"],
      },
      untitledMulti: {
        type: "array",
        description: "Select multiple options",
        minItems: 1,
        maxItems: 3,
        items: { type: "string", enum: ["option1", "option2", "option3"] },
      },
      titledMulti: {
        type: "array",
        description: "Select multiple options with titles",
        minItems: 1,
        maxItems: 3,
        items: {
          anyOf: [
            { const: "value1", title: "First Choice" },
            { const: "value2", title: "Second Choice" },
            { const: "value3", title: "Third Choice" },
          ],
        },
      },
    },
    required: [],
  });
  const content = answer.action === "accept" ? answer.data : {};
  return `Elicitation completed: action=${answer.action}, content=${JSON.stringify(content)}`;
});
mcp.tool({ name: "test_reconnection", description: "Closes its SSE stream mid-call", input: z.object({}) }, async (_args, ctx) => {
  ctx.closeSSEStream();
  await sleep(100);
  return "Reconnection test completed successfully. If you received this, the client properly reconnected after stream closure.";
});

// JSON Schema 2020-12 given raw.
mcp.tool(
  {
    name: "json_schema_2020_12_tool",
    description: "Tool with JSON Schema 2020-12 features",
    input: {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      $defs: { address: { $anchor: "addressDef", type: "object", properties: { street: { type: "string" }, city: { type: "string" } } } },
      properties: {
        name: { type: "string" },
        address: { $ref: "#/$defs/address" },
        contactMethod: { type: "string", enum: ["phone", "email"] },
        phone: { type: "string" },
        email: { type: "string" },
      },
      allOf: [{ anyOf: [{ required: ["phone"] }, { required: ["email"] }] }],
      if: { properties: { contactMethod: { const: "phone" } }, required: ["contactMethod"] },
      then: { required: ["phone"] },
      else: { required: ["email"] },
      additionalProperties: false,
    },
  },
  (args) => `JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}`,
);
mcp.tool(
  {
    name: "test_x_mcp_header",
    description: "Mirrors an argument into an Mcp-Param header",
    input: {
      type: "object",
      properties: {
        region: { type: "string", description: "mirrored into Mcp-Param-Region", "x-mcp-header": "Region" },
        level: { type: "integer", description: "non-mirrored argument" },
      },
    },
  },
  (args) => `region=${typeof args.region === "string" ? args.region : "<none>"}`,
);

// Modern multi-round-trip (input_required) fixtures.
mcp.tool({ name: "test_input_required_result_elicitation", description: "Asks for a name", input: z.object({}) }, async (_args, ctx) => {
  const answer = await ctx.elicit("What is your name?", nameForm, { key: "user_name" });
  return answer.action === "accept" ? `Hello, ${String(answer.data.name)}!` : `No name (${answer.action})`;
});
mcp.tool({ name: "test_input_required_result_sampling", description: "Asks the model", input: z.object({}) }, async (_args, ctx) => {
  const reply = await ctx.sample("What is the capital of France?", { maxTokens: 100, key: "capital_question" });
  return `Sampling response: ${reply.text ?? JSON.stringify(reply.result)}`;
});
mcp.tool({ name: "test_input_required_result_list_roots", description: "Asks for roots", input: z.object({}) }, async (_args, ctx) => {
  const roots = await ctx.listRoots({ key: "client_roots" });
  return `Client exposed ${roots.length} root(s): ${roots.map((r) => r.uri).join(", ")}`;
});
mcp.tool({ name: "test_input_required_result_request_state", description: "Round-trips request state", input: z.object({}) }, async (_args, ctx) => {
  await ctx.elicit("Please confirm", confirmForm, { key: "confirm" });
  return "state-ok: requestState verified and confirmation received";
});
mcp.tool({ name: "test_input_required_result_multiple_inputs", description: "Asks three things in one round", input: z.object({}) }, async (_args, ctx) => {
  const { user_name, greeting, client_roots } = await ctx.gather({
    user_name: Ask.elicit("What is your name?", nameForm),
    greeting: Ask.sample("Generate a greeting", { maxTokens: 50 }),
    client_roots: Ask.roots(),
  });
  const name = user_name.action === "accept" ? String(user_name.data.name) : "stranger";
  return `${greeting.text ?? "Hello"} ${name} — ${client_roots.length} root(s) visible`;
});
mcp.tool({ name: "test_input_required_result_multi_round", description: "Two rounds of questions", input: z.object({}) }, async (_args, ctx) => {
  const first = await ctx.elicit("Step 1: What is your name?", nameForm, { key: "step1" });
  const second = await ctx.elicit(
    "Step 2: What is your favorite color?",
    { type: "object", properties: { color: { type: "string" } }, required: ["color"] },
    { key: "step2" },
  );
  const name = first.action === "accept" ? String(first.data.name) : "unknown";
  const color = second.action === "accept" ? String(second.data.color) : "unknown";
  return `Multi-round complete: ${name} likes ${color}`;
});
mcp.tool({ name: "test_input_required_result_tampered_state", description: "Rejects tampered state", input: z.object({}) }, async (_args, ctx) => {
  await ctx.elicit("Please confirm", confirmForm, { key: "confirm" });
  return "integrity-ok: requestState verified";
});
mcp.tool({ name: "test_input_required_result_capabilities", description: "Asks only what the client supports", input: z.object({}) }, async (_args, ctx) => {
  const caps = ctx.clientCapabilities ?? {};
  const asks: Record<string, Ask<unknown>> = {};
  if (caps.elicitation !== undefined) asks.user_name = Ask.elicit("What is your name?", nameForm);
  if (caps.sampling !== undefined) asks.greeting = Ask.sample("Generate a short greeting", { maxTokens: 50 });
  if (caps.roots !== undefined) asks.client_roots = Ask.roots();
  if (Object.keys(asks).length === 0) return "No declared client capability supports an in-band input request";
  await ctx.gather(asks);
  return "Capability-aware input requests fulfilled";
});
mcp.tool({ name: "test_missing_capability", description: "Needs sampling", input: z.object({}) }, async (_args, ctx) => {
  await ctx.sample("Reply with the single word: pong", { maxTokens: 16, key: "llm_answer" });
  return "sampling round-trip complete";
});
mcp.tool({ name: "test_streaming_elicitation", description: "A plain result", input: z.object({}) }, () => "stream observed: result frames only, no top-level requests");

// List-changed triggers: a real change to the tool and prompt lists.
mcp.tool({ name: "test_trigger_tool_change", description: "Adds a tool", input: z.object({}) }, () => {
  mcp.tool({ name: `dynamic_tool_${Date.now()}`, description: "Added at runtime" }, () => "dynamic");
  return "tools_list_changed published";
});
mcp.tool({ name: "test_trigger_prompt_change", description: "Adds a prompt", input: z.object({}) }, () => {
  mcp.prompt({ name: `dynamic_prompt_${Date.now()}`, description: "Added at runtime" }, () => "dynamic");
  return "prompts_list_changed published";
});

// Resources.
mcp.resource(
  { uri: "test://static-text", name: "static-text", title: "Static Text Resource", description: "A static text resource for testing", mimeType: "text/plain" },
  () => "This is the content of the static text resource.",
);
mcp.resource(
  { uri: "test://static-binary", name: "static-binary", title: "Static Binary Resource", description: "A static binary resource (image)", mimeType: "image/png" },
  () => Uint8Array.from(atob(PNG), (c) => c.charCodeAt(0)),
);
mcp.resource(
  {
    uri: "test://template/{id}/data",
    name: "template",
    title: "Resource Template",
    description: "A resource template with parameter substitution",
    mimeType: "application/json",
    complete: { id: (value) => ["1", "2", "3", "42"].filter((v) => v.startsWith(value)) },
  },
  ({ id }) => ({ id, templateTest: true, data: `Data for ID: ${id}` }),
);
mcp.resource(
  { uri: "test://watched-resource", name: "watched-resource", title: "Watched Resource", description: "For subscribe tests", mimeType: "text/plain" },
  () => "Watched resource content",
);

// Prompts.
mcp.prompt({ name: "test_simple_prompt", title: "Simple Test Prompt", description: "A simple prompt without arguments" }, () => "This is a simple prompt for testing.");
mcp.prompt(
  {
    name: "test_prompt_with_arguments",
    title: "Prompt With Arguments",
    description: "A prompt with required arguments",
    args: z.object({ arg1: z.string().describe("First test argument"), arg2: z.string().describe("Second test argument") }),
    complete: {
      arg1: (value) => ["paris", "park", "party"].filter((v) => v.startsWith(value)),
      arg2: (value) => ["red", "green", "blue"].filter((v) => v.startsWith(value)),
    },
  },
  ({ arg1, arg2 }) => `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'`,
);
mcp.prompt(
  {
    name: "test_prompt_with_embedded_resource",
    title: "Prompt With Embedded Resource",
    description: "A prompt that includes an embedded resource",
    args: z.object({ resourceUri: z.string().describe("URI of the resource to embed") }),
  },
  ({ resourceUri }) => [
    message({ type: "resource", resource: { uri: resourceUri, mimeType: "text/plain", text: "Embedded resource content for testing." } }),
    message("Please process the embedded resource above."),
  ],
);
mcp.prompt({ name: "test_prompt_with_image", title: "Prompt With Image", description: "A prompt that includes image content" }, () => [
  message(image(PNG, "image/png")),
  message("Please analyze the image above."),
]);
mcp.prompt({ name: "test_input_required_result_prompt", title: "MRTR Prompt", description: "Needs context before rendering" }, async (_args, ctx) => {
  const answer = await ctx.elicit("What context should the prompt use?", { type: "object", properties: { context: { type: "string" } }, required: ["context"] }, { key: "user_context" });
  return `Use the following context: ${answer.action === "accept" ? String(answer.data.context) : "none"}`;
});

await mcp.run({
  transport: "http",
  host: process.env.MCPKIT_HOST ?? "127.0.0.1",
  port: Number(process.env.PORT ?? 3000),
  sessions: { retryIntervalMs: 5000 },
});
