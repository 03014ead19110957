/**
 * Reading recorded Messages API requests: which parent main-loop requests are wake-ups, what each
 * one delivered, and which background tasks were launched (ids known only at run time).
 *
 * Observed on Claude Code 2.1.332 (see OBSERVATIONS.md):
 * - Every request replays the whole conversation; what is NEW in a request is everything after the
 *   last assistant message (its "tail").
 * - First request: no assistant message yet (tail = the user's prompt + a `system` environment message).
 * - Continuation of a turn: the tail starts with a user message of `tool_result` blocks; in-turn context
 *   (PostToolUse additionalContext, a task notice drained mid-turn) follows as a `system`-role message.
 * - Wake-up: a tail with no tool_result. A native notice is a user message whose text is
 *   `<system-reminder>\n[SYSTEM NOTIFICATION - NOT USER INPUT] ... <task-notification><task-id>…` (several
 *   notices drained together arrive as several text blocks of one message); an asyncRewake exit-2 wake-up
 *   is the same frame around `<task-notification>\n<summary>Stop hook feedback</summary>\n</task-notification>
 *   <system-reminder>\nStop hook blocking error from command "<Event>": <hook output>`, with no <task-id>.
 * - Subagent requests carry the header `x-claude-code-agent-id` and are never wake-ups of the parent.
 * - A resumed process sends rows the first never sent (a wake-up queued at `/exit`) ahead of an assistant
 *   row it makes up for them ("No response requested."): a block no earlier request carried is new
 *   to the model wherever it stands, so such blocks count as context of the request that first sends them.
 */
import {
  type ApiMessage,
  blocksOf,
  type ContentBlock,
  contentText,
  type RecordedRequest,
  type ToolResultBlock,
} from "./messages-api-stub.ts";

export type Trigger = "initial" | "tool_result" | "wakeup";
/**
 * task-notification: native notice(s) with <task-id>;
 * hook-rewake: bg-notify's own wake-up: an asyncRewake exit-2 (`<task-notification><summary>…</summary></task-notification>`,
 *   no task id), or the hooks module's prompt ("The bg-notify plugin sent a message:");
 * hook-block: a sync Stop hook's `decision: "block"` continuation ("Stop hook feedback" / "hook blocking error");
 * hook-context: a Stop hook's hookSpecificOutput.additionalContext continuation ("Stop hook additional context").
 */
export type WakeKind = "task-notification" | "hook-rewake" | "hook-block" | "hook-context" | "other";

export interface MainRequestInfo {
  req: RecordedRequest;
  trigger: Trigger;
  wakeKind?: WakeKind;
  /** messages after the last assistant message */
  tail: ApiMessage[];
  /** text of the tail without tool_result blocks: what was newly put in front of the model as context */
  contextText: string;
  /** text of the tail's tool_result blocks */
  toolResultText: string;
  /** task ids named in <task-id> tags of the tail (native notices) */
  noticeIds: string[];
  /** identical conversation to an earlier request (an API retry): not counted */
  retry: boolean;
}

export interface LaunchedTask {
  id: string;
  kind: "shell" | "agent";
  toolUseId: string;
  outputFile?: string;
}

function lastAssistantIndex(messages: ApiMessage[]): number {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === "assistant") return i;
  return -1;
}

function isToolResult(b: ContentBlock): b is ToolResultBlock {
  return b.type === "tool_result";
}

/** A block as the model reads it: where Claude Code moves its cache mark does not make it new. */
function blockKey(b: ContentBlock): string {
  const { cache_control: _mark, ...rest } = b as ContentBlock & { cache_control?: unknown };
  return JSON.stringify(rest);
}

/** How often each block stands in these messages. */
function blockCounts(messages: ApiMessage[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of messages)
    for (const b of blocksOf(m.content)) counts.set(blockKey(b), (counts.get(blockKey(b)) ?? 0) + 1);
  return counts;
}

export function analyzeMainRequests(requests: RecordedRequest[]): MainRequestInfo[] {
  const seen = new Set<string>();
  /** Per block, the most copies of it any earlier main request carried. */
  const carried = new Map<string, number>();
  const out: MainRequestInfo[] = [];
  for (const req of requests) {
    if (req.kind !== "main") continue;
    const messages = req.body?.messages ?? [];
    const key = JSON.stringify(messages);
    const retry = seen.has(key);
    seen.add(key);
    const li = lastAssistantIndex(messages);
    const tail = messages.slice(li + 1);
    const ctx: string[] = [];
    const tr: string[] = [];
    // Rows ahead of the tail that no earlier request carried (a resumed conversation's unsent rows).
    const here = new Map<string, number>();
    for (const m of messages.slice(0, Math.max(0, li))) {
      if (m.role === "assistant") continue;
      for (const b of blocksOf(m.content)) {
        const k = blockKey(b);
        here.set(k, (here.get(k) ?? 0) + 1);
        if (out.length === 0 || here.get(k)! <= (carried.get(k) ?? 0)) continue;
        if (isToolResult(b)) tr.push(contentText(b.content));
        else if (b.type === "text" && typeof b.text === "string") ctx.push(b.text);
      }
    }
    for (const [k, n] of blockCounts(messages)) carried.set(k, Math.max(n, carried.get(k) ?? 0));
    for (const m of tail) {
      for (const b of blocksOf(m.content)) {
        if (isToolResult(b)) tr.push(contentText(b.content));
        else if (b.type === "text" && typeof b.text === "string") ctx.push(b.text);
      }
    }
    const contextText = ctx.join("\n");
    const hasToolResult = tail.some((m) => blocksOf(m.content).some(isToolResult));
    const trigger: Trigger = li < 0 ? "initial" : hasToolResult ? "tool_result" : "wakeup";
    const noticeIds = [...contextText.matchAll(/<task-id>([^<]+)<\/task-id>/g)].map((m) => m[1]!.trim());
    const info: MainRequestInfo = {
      req,
      trigger,
      tail,
      contextText,
      toolResultText: tr.join("\n"),
      noticeIds,
      retry,
    };
    if (trigger === "wakeup") info.wakeKind = wakeKindOf(contextText);
    out.push(info);
  }
  return out;
}

export function wakeKindOf(text: string): WakeKind {
  // The hooks module's wake-up: a prompt the plugin submitted, as Claude Code frames it.
  if (/The bg-notify plugin sent a message:/.test(text)) return "hook-rewake";
  // The rewake's framing (a notice with a summary and no task id) first: the notices bg-notify held
  // travel in the same message, so a wake-up of ours also carries native ones.
  if (/<task-notification>\s*<summary>[^<]*<\/summary>\s*<\/task-notification>/.test(text))
    return "hook-rewake";
  if (/<task-notification>[\s\S]*?<task-id>/.test(text)) return "task-notification";
  if (/hook blocking error|hook feedback/i.test(text)) return "hook-block";
  if (/hook additional context/i.test(text)) return "hook-context";
  return "other";
}

export function wakeUps(infos: MainRequestInfo[]): MainRequestInfo[] {
  return infos.filter((i) => i.trigger === "wakeup" && !i.retry);
}

/** Background tasks launched by the parent, read from the tool results the CLI sent back. */
export function launchedTasks(requests: RecordedRequest[]): LaunchedTask[] {
  const byId = new Map<string, LaunchedTask>();
  for (const req of requests) {
    if (req.kind !== "main") continue;
    for (const m of req.body?.messages ?? []) {
      if (m.role !== "user") continue;
      for (const b of blocksOf(m.content)) {
        if (!isToolResult(b)) continue;
        const t = contentText(b.content);
        const shell = /Command running in background with ID: ([A-Za-z0-9_-]+)/.exec(t);
        if (shell) {
          const file = /Output is being written to: (\S+?\.output)/.exec(t);
          byId.set(shell[1]!, {
            id: shell[1]!,
            kind: "shell",
            toolUseId: b.tool_use_id,
            ...(file ? { outputFile: file[1]! } : {}),
          });
          continue;
        }
        const agent = /agentId: ([A-Za-z0-9_-]+)/.exec(t);
        if (agent && /Async agent launched/i.test(t)) {
          const file = /output_file: (\S+)/.exec(t);
          byId.set(agent[1]!, {
            id: agent[1]!,
            kind: "agent",
            toolUseId: b.tool_use_id,
            ...(file ? { outputFile: file[1]! } : {}),
          });
        }
      }
    }
  }
  return [...byId.values()];
}

export function idsIn(text: string, ids: string[]): string[] {
  return ids.filter((id) => text.includes(id));
}

export function countMatches(text: string, re: RegExp): number {
  const g = new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`);
  return [...text.matchAll(g)].length;
}

export interface RunAnalysis {
  tasks: LaunchedTask[];
  infos: MainRequestInfo[];
  wakeUps: MainRequestInfo[];
  /** task ids that reached the parent model after launch (in a wake-up or as in-turn context) */
  delivered: string[];
  /** per task id: how many native <task-id> notices reached the parent model */
  nativeNoticeCounts: Record<string, number>;
  subagentRequests: number;
  auxiliaryRequests: number;
  otherRequests: number;
}

export function analyzeRun(requests: RecordedRequest[]): RunAnalysis {
  const tasks = launchedTasks(requests);
  const infos = analyzeMainRequests(requests).filter((i) => !i.retry);
  const ids = tasks.map((t) => t.id);
  const delivered = new Set<string>();
  const nativeNoticeCounts: Record<string, number> = Object.fromEntries(ids.map((id) => [id, 0]));
  for (const i of infos) {
    if (i.trigger === "initial") continue;
    for (const id of idsIn(i.contextText, ids)) delivered.add(id);
    for (const id of i.noticeIds) nativeNoticeCounts[id] = (nativeNoticeCounts[id] ?? 0) + 1;
  }
  return {
    tasks,
    infos,
    wakeUps: wakeUps(infos),
    delivered: ids.filter((id) => delivered.has(id)),
    nativeNoticeCounts,
    subagentRequests: requests.filter((r) => r.kind === "subagent").length,
    auxiliaryRequests: requests.filter((r) => r.kind === "auxiliary").length,
    otherRequests: requests.filter((r) => r.kind === "other").length,
  };
}

/** All new context text the parent model saw after its first request (wake-ups and in-turn context). */
export function allContextText(a: RunAnalysis): string {
  return a.infos
    .filter((i) => i.trigger !== "initial")
    .map((i) => i.contextText)
    .join("\n");
}
