// Recognises Claude Code's `<task-notification>` prompts and reads the completion they carry.
// A notice has a `<task-id>`; the plugin's own wake-up echo has none and is never a notice.
import { isId } from "../core/guards.js";

/**
 * What a `<task-notification>` tells, as Claude Code 2.1.332 sends them. Only a `completion` (a shell or
 * agent reached completed / failed / killed / stopped) is held back and batched; every other kind passes
 * to the parent untouched, as it would without the plugin.
 */
export type NoticeKind =
  | "completion"
  | "monitor-event" // `<event>` with no `<status>`: one line of a Monitor's output
  | "monitor-end" // `Monitor "…" stream ended` (its last line may ride along as `<event>`)
  | "agent-waiting" // `Agent "…" is waiting on its own background work`: an interim result
  | "orphan-report" // the resume report of shells that "didn't finish before the previous session ended"
  | "stall" // a task "still running after … with no new output"
  | "unknown"; // anything else: passes untouched and is counted in `bg-notify status`

const TERMINAL_WORDS = new Set([
  "completed",
  "complete",
  "success",
  "failed",
  "error",
  "killed",
  "stopped",
  "cancelled",
  "canceled",
]);

function kindOf(
  taskId: string,
  status: string | undefined,
  summary: string | undefined,
  hasEvent: boolean,
): NoticeKind {
  if (
    taskId.startsWith("__orphan_summary__") ||
    /didn't finish before the previous session ended/.test(summary ?? "")
  )
    return "orphan-report";
  if (/^Monitor ".*" stream ended/s.test(summary ?? "")) return "monitor-end";
  if (hasEvent) return status === undefined ? "monitor-event" : "monitor-end";
  if (/is waiting on its own background work/.test(summary ?? "")) return "agent-waiting";
  if (/still running after .* with no new output/s.test(summary ?? "")) return "stall";
  if (status !== undefined && TERMINAL_WORDS.has(status.toLowerCase())) return "completion";
  return "unknown";
}

export interface ParsedNotice {
  noticeKind: NoticeKind;
  taskId: string;
  toolUseId?: string;
  outputFile?: string;
  status: string;
  summary?: string;
  result?: string;
  exitCode?: number;
  kind: "shell" | "agent";
  description?: string;
  usage?: { tokens?: number; toolUses?: number; durationMs?: number };
}

const MAX_FIELD = 200_000;

function tag(text: string, name: string): string | undefined {
  const open = text.indexOf(`<${name}>`);
  if (open < 0) return undefined;
  const start = open + name.length + 2;
  // The last closing tag, so a result that itself contains the tag text stays whole.
  const close = name === "result" ? text.lastIndexOf(`</${name}>`) : text.indexOf(`</${name}>`, start);
  if (close < start) return undefined;
  return text.slice(start, close).slice(0, MAX_FIELD);
}

function number(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text.trim());
  return Number.isFinite(n) ? n : undefined;
}

export function isTaskNotification(prompt: string): boolean {
  return prompt.trimStart().startsWith("<task-notification>");
}

/** What a notice prompt carries (see `noticeKind`), or undefined for any other prompt (including our echo). */
export function parseTaskNotification(prompt: string): ParsedNotice | undefined {
  if (typeof prompt !== "string" || !isTaskNotification(prompt)) return undefined;
  const end = prompt.lastIndexOf("</task-notification>");
  const body = end >= 0 ? prompt.slice(0, end) : prompt;
  const taskId = tag(body, "task-id")?.trim();
  if (!taskId || !isId(taskId)) return undefined;
  const statusWord = tag(body, "status")?.trim() || undefined;
  const status = statusWord ?? "completed";
  const summary = tag(body, "summary")?.trim();
  const result = tag(body, "result");
  const usageText = tag(body, "usage");
  const exitMatch = summary?.match(/exit code (-?\d+)/i);
  const agentMatch = summary?.match(/^Agent "(.*)"/s);
  const shellMatch = summary?.match(/^Background command "(.*)" (?:completed|failed|was|exited|killed)/s);
  const notice: ParsedNotice = {
    noticeKind: kindOf(taskId, statusWord, summary, tag(body, "event") !== undefined),
    taskId,
    status,
    kind: usageText !== undefined || agentMatch || result !== undefined ? "agent" : "shell",
  };
  const toolUseId = tag(body, "tool-use-id")?.trim();
  if (toolUseId) notice.toolUseId = toolUseId;
  const outputFile = tag(body, "output-file")?.trim();
  if (outputFile) notice.outputFile = outputFile;
  if (summary) notice.summary = summary;
  if (result !== undefined) notice.result = result.trim();
  if (exitMatch?.[1] !== undefined) notice.exitCode = Number(exitMatch[1]);
  const description = agentMatch?.[1] ?? shellMatch?.[1];
  if (description) notice.description = description;
  if (usageText !== undefined) {
    const usage: NonNullable<ParsedNotice["usage"]> = {};
    const tokens = number(tag(usageText, "subagent_tokens") ?? tag(usageText, "total_tokens"));
    const toolUses = number(tag(usageText, "tool_uses"));
    const duration = number(tag(usageText, "duration_ms"));
    if (tokens !== undefined) usage.tokens = tokens;
    if (toolUses !== undefined) usage.toolUses = toolUses;
    if (duration !== undefined) usage.durationMs = duration;
    notice.usage = usage;
  }
  return notice;
}
