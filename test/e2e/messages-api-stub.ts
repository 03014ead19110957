/**
 * Loopback stand-in for the Anthropic Messages API, for driving the real Claude Code CLI offline.
 *
 * - POST /v1/messages (streamed SSE or plain JSON) is answered by a scripted {@link Scenario}.
 * - POST /v1/messages/count_tokens answers a rough token count.
 * - Anything else is recorded and answered with a harmless JSON body.
 *
 * Every request is recorded (parsed body, headers, arrival time, classification) for assertions.
 * Listens on 127.0.0.1 only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// ---------------------------------------------------------------------------------------------
// Wire types (only the parts the harness needs)
// ---------------------------------------------------------------------------------------------

export interface TextBlock {
  type: "text";
  text: string;
  [k: string]: unknown;
}
export interface ToolUseBlock {
  type: "tool_use";
  id: string;
  name: string;
  input: unknown;
  [k: string]: unknown;
}
export interface ToolResultBlock {
  type: "tool_result";
  tool_use_id: string;
  content?: string | Array<{ type: string; text?: string; [k: string]: unknown }>;
  is_error?: boolean;
  [k: string]: unknown;
}
export type ContentBlock =
  | TextBlock
  | ToolUseBlock
  | ToolResultBlock
  | { type: string; [k: string]: unknown };

export interface ApiMessage {
  /** 2.1.332 also sends mid-conversation `system` messages (environment, in-turn task notices) */
  role: "user" | "assistant" | "system";
  content: string | ContentBlock[];
}

export interface MessagesRequestBody {
  model?: string;
  messages?: ApiMessage[];
  system?: string | Array<{ type: string; text?: string; [k: string]: unknown }>;
  tools?: Array<{ name: string; [k: string]: unknown }>;
  stream?: boolean;
  max_tokens?: number;
  metadata?: unknown;
  [k: string]: unknown;
}

/**
 * main: a main-loop request of the parent session.
 * subagent: a request made by a subagent's own loop: 2.1.332 sends it with the header
 *   `x-claude-code-agent-id: <agentId>` (the parent's main loop sends no such header). Its system
 *   prompt is the agent type's ("You are an agent for Claude Code ...", "You are a file search
 *   specialist ..."), and its tool list may still include `Agent` (general-purpose agents have it).
 * auxiliary: a model request outside any agent loop (title/summary generation, quota probes ...):
 *   no tools offered.
 * other: a request to an endpoint that is not POST /v1/messages.
 */
export type RequestKind = "main" | "subagent" | "auxiliary" | "other";

export interface RecordedRequest {
  seq: number;
  /** ms since the stub started */
  at: number;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** parsed JSON body, or undefined when absent / not JSON */
  body: MessagesRequestBody | undefined;
  rawBody: string;
  kind: RequestKind;
  /** the `x-claude-code-agent-id` header of a subagent request */
  agentId?: string;
  stream: boolean;
  /** the reply the scenario produced (for /v1/messages) */
  reply?: ScriptedReply;
  /** the usage the stub reported for it (for /v1/messages): what the request would have cost */
  usage?: StubUsage;
}

/** Usage as the Messages API reports it; the stub's input is the request's size (4 characters a token). */
export interface StubUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

/**
 * A request's input tokens, split as a cached conversation's would be (most of it read from the cache),
 * so a reader of the transcript has to add all three to get what the request sent.
 */
export function usageFor(rawBody: string): StubUsage {
  const total = Math.max(1, Math.ceil(rawBody.length / 4));
  const read = Math.floor(total * 0.8);
  const created = Math.floor(total * 0.15);
  return {
    input_tokens: total - read - created,
    cache_creation_input_tokens: created,
    cache_read_input_tokens: read,
    output_tokens: 5,
  };
}

/** What a request sent, all three input counts together. */
export const inputTokensOf = (u: StubUsage | undefined): number =>
  u ? u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens : 0;

// ---------------------------------------------------------------------------------------------
// Scenario scripting
// ---------------------------------------------------------------------------------------------

export type ReplyBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; name: string; input: Record<string, unknown>; id?: string };

export interface ScriptedReply {
  content: ReplyBlock[];
  /** defaults to "tool_use" when a tool_use block is present, else "end_turn" */
  stopReason?: "end_turn" | "tool_use" | "max_tokens" | "stop_sequence";
  /** delay before the response starts */
  delayMs?: number;
}

export type Scenario = (
  req: RecordedRequest,
  stub: MessagesApiStub,
) => ScriptedReply | Promise<ScriptedReply>;

export const text = (t: string): ScriptedReply => ({ content: [{ type: "text", text: t }] });

// ---------------------------------------------------------------------------------------------
// Request inspection helpers
// ---------------------------------------------------------------------------------------------

export function systemText(body: MessagesRequestBody | undefined): string {
  const s = body?.system;
  if (!s) return "";
  if (typeof s === "string") return s;
  return s.map((b) => (typeof b.text === "string" ? b.text : "")).join("\n");
}

export function toolNames(body: MessagesRequestBody | undefined): string[] {
  return (body?.tools ?? []).map((t) => t.name);
}

/** Flatten any message content (string, text blocks, tool_result blocks with nested content). */
export function contentText(content: ApiMessage["content"] | ToolResultBlock["content"] | undefined): string {
  if (content === undefined) return "";
  if (typeof content === "string") return content;
  const parts: string[] = [];
  for (const b of content as ContentBlock[]) {
    if (b.type === "text" && typeof b.text === "string") parts.push(b.text);
    else if (b.type === "tool_result") parts.push(contentText((b as ToolResultBlock).content));
    else if (b.type === "tool_use") parts.push(JSON.stringify((b as ToolUseBlock).input));
  }
  return parts.join("\n");
}

export function blocksOf(content: ApiMessage["content"] | undefined): ContentBlock[] {
  if (content === undefined) return [];
  if (typeof content === "string") return [{ type: "text", text: content }];
  return content;
}

export function lastMessage(body: MessagesRequestBody | undefined): ApiMessage | undefined {
  const m = body?.messages ?? [];
  return m[m.length - 1];
}

/** The text of the first user message (the prompt that opened this conversation). */
export function firstUserText(body: MessagesRequestBody | undefined): string {
  const first = (body?.messages ?? []).find((m) => m.role === "user");
  return first ? contentText(first.content) : "";
}

/** All tool_result blocks after the last assistant message (the tail may end with a `system` message). */
export function lastToolResults(body: MessagesRequestBody | undefined): ToolResultBlock[] {
  const msgs = body?.messages ?? [];
  const out: ToolResultBlock[] = [];
  for (let i = msgs.length - 1; i >= 0; i--) {
    const m = msgs[i]!;
    if (m.role === "assistant") break;
    out.unshift(...blocksOf(m.content).filter((b): b is ToolResultBlock => b.type === "tool_result"));
  }
  return out;
}

/** Number of assistant messages so far (= model turns already taken in this conversation). */
export function assistantCount(body: MessagesRequestBody | undefined): number {
  return (body?.messages ?? []).filter((m) => m.role === "assistant").length;
}

export function headerValue(headers: RecordedRequest["headers"], name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function classify(
  method: string,
  path: string,
  body: MessagesRequestBody | undefined,
  headers: RecordedRequest["headers"] = {},
): RequestKind {
  if (method !== "POST" || !/^\/v1\/messages\/?(\?.*)?$/.test(path)) return "other";
  if (headerValue(headers, "x-claude-code-agent-id")) return "subagent";
  if (toolNames(body).length === 0) return "auxiliary";
  return "main";
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

export interface StubOptions {
  scenario: Scenario;
  /** print one line per request to stderr */
  verbose?: boolean;
}

export class MessagesApiStub {
  readonly requests: RecordedRequest[] = [];
  private server: Server | undefined;
  /** Date.now() when the stub was made: `at` of every request counts from here. */
  readonly started = Date.now();
  private lastActivity = Date.now();
  private inFlight = 0;
  private toolSeq = 0;
  private msgSeq = 0;
  port = 0;
  scenario: Scenario;
  verbose: boolean;
  /** per-run scratch space for scenarios (a scenario object is shared by concurrent runs) */
  readonly state: Record<string, unknown> = {};
  /** scenario errors (a scripted scenario that threw); surfaced by the runner */
  readonly errors: string[] = [];

  constructor(opts: StubOptions) {
    this.scenario = opts.scenario;
    this.verbose = opts.verbose ?? false;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  now(): number {
    return Date.now() - this.started;
  }

  /** ms since the last request arrived or the last response finished */
  idleMs(): number {
    return this.inFlight > 0 ? 0 : Date.now() - this.lastActivity;
  }

  messagesRequests(kind?: RequestKind): RecordedRequest[] {
    return this.requests.filter((r) => r.kind !== "other" && (kind === undefined || r.kind === kind));
  }

  newToolId(): string {
    this.toolSeq += 1;
    return `toolu_e2e_${String(this.toolSeq).padStart(3, "0")}`;
  }

  async start(): Promise<number> {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(0, "127.0.0.1", () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight += 1;
    this.lastActivity = Date.now();
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const rawBody = Buffer.concat(chunks).toString("utf8");
      let body: MessagesRequestBody | undefined;
      try {
        body = rawBody ? (JSON.parse(rawBody) as MessagesRequestBody) : undefined;
      } catch {
        body = undefined;
      }
      const method = req.method ?? "GET";
      const path = req.url ?? "/";
      const rec: RecordedRequest = {
        seq: this.requests.length,
        at: this.now(),
        method,
        path,
        headers: req.headers,
        body,
        rawBody,
        kind: classify(method, path, body, req.headers),
        stream: body?.stream === true,
      };
      const agentId = headerValue(req.headers, "x-claude-code-agent-id");
      if (agentId) rec.agentId = agentId;
      this.requests.push(rec);
      const pathname = path.split("?")[0] ?? path;

      if (method === "POST" && pathname === "/v1/messages/count_tokens") {
        this.log(rec, "count_tokens");
        return sendJson(res, 200, { input_tokens: Math.max(1, Math.ceil(rawBody.length / 4)) });
      }
      if (method === "POST" && (pathname === "/v1/messages" || pathname === "/v1/messages/")) {
        let reply: ScriptedReply;
        try {
          reply = await this.scenario(rec, this);
        } catch (e) {
          const msg = `scenario threw on request #${rec.seq} (${rec.kind}): ${(e as Error).stack ?? e}`;
          this.errors.push(msg);
          reply = text(`stub error: ${(e as Error).message}`);
        }
        rec.reply = reply;
        this.log(rec, summarizeReply(reply));
        if (reply.delayMs) await sleep(reply.delayMs);
        const model = body?.model ?? "claude-stub";
        rec.usage = usageFor(rawBody);
        if (rec.stream) return this.sendStream(res, reply, model, rec.usage);
        return sendJson(res, 200, this.messageJson(reply, model, rec.usage));
      }
      this.log(rec, "(other endpoint)");
      if (method === "HEAD") {
        res.writeHead(200);
        res.end();
        return;
      }
      if (pathname.startsWith("/v1/models")) return sendJson(res, 200, { data: [], has_more: false });
      return sendJson(res, 200, {});
    } finally {
      this.inFlight -= 1;
      this.lastActivity = Date.now();
    }
  }

  private log(rec: RecordedRequest, what: string): void {
    if (!this.verbose) return;
    const last = lastMessage(rec.body);
    const lastText = last ? contentText(last.content).replace(/\s+/g, " ").slice(0, 140) : "";
    process.stderr.write(
      `[stub +${rec.at}ms] #${rec.seq} ${rec.method} ${rec.path} ${rec.kind}${rec.stream ? " sse" : ""} msgs=${
        rec.body?.messages?.length ?? 0
      } last=${JSON.stringify(lastText)} -> ${what}\n`,
    );
  }

  private materialize(reply: ScriptedReply): { blocks: ContentBlock[]; stopReason: string } {
    const blocks: ContentBlock[] = reply.content.map((b) =>
      b.type === "text"
        ? { type: "text", text: b.text }
        : { type: "tool_use", id: b.id ?? this.newToolId(), name: b.name, input: b.input },
    );
    const stopReason =
      reply.stopReason ?? (blocks.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn");
    return { blocks, stopReason };
  }

  private messageJson(reply: ScriptedReply, model: string, usage: StubUsage): Record<string, unknown> {
    const { blocks, stopReason } = this.materialize(reply);
    this.msgSeq += 1;
    return {
      id: `msg_e2e_${this.msgSeq}`,
      type: "message",
      role: "assistant",
      model,
      content: blocks,
      stop_reason: stopReason,
      stop_sequence: null,
      usage,
    };
  }

  private sendStream(res: ServerResponse, reply: ScriptedReply, model: string, usage: StubUsage): void {
    const { blocks, stopReason } = this.materialize(reply);
    this.msgSeq += 1;
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "request-id": `req_e2e_${this.msgSeq}`,
    });
    const ev = (type: string, data: Record<string, unknown>) =>
      res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    ev("message_start", {
      message: {
        id: `msg_e2e_${this.msgSeq}`,
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    });
    ev("ping", {});
    blocks.forEach((b, index) => {
      if (b.type === "text") {
        const t = String(b.text);
        ev("content_block_start", { index, content_block: { type: "text", text: "" } });
        // two deltas, to exercise accumulation
        const mid = Math.ceil(t.length / 2);
        for (const piece of [t.slice(0, mid), t.slice(mid)]) {
          if (piece) ev("content_block_delta", { index, delta: { type: "text_delta", text: piece } });
        }
        ev("content_block_stop", { index });
      } else {
        const tu = b as ToolUseBlock;
        ev("content_block_start", {
          index,
          content_block: { type: "tool_use", id: tu.id, name: tu.name, input: {} },
        });
        const json = JSON.stringify(tu.input ?? {});
        const mid = Math.ceil(json.length / 2);
        for (const piece of [json.slice(0, mid), json.slice(mid)]) {
          if (piece)
            ev("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: piece } });
        }
        ev("content_block_stop", { index });
      }
    });
    ev("message_delta", {
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: 5 },
    });
    ev("message_stop", {});
    res.end();
  }
}

function sendJson(res: ServerResponse, status: number, obj: unknown): void {
  const s = JSON.stringify(obj);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(s) });
  res.end(s);
}

function summarizeReply(r: ScriptedReply): string {
  return r.content
    .map((b) => (b.type === "text" ? `text(${JSON.stringify(b.text.slice(0, 40))})` : `tool_use(${b.name})`))
    .join(", ");
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
