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

/** A tag inside a field (the `<usage>` counts). */
function tag(text: string, name: string): string | undefined {
  const open = text.indexOf(`<${name}>`);
  if (open < 0) return undefined;
  const start = open + name.length + 2;
  const close = text.indexOf(`</${name}>`, start);
  if (close < start) return undefined;
  return text.slice(start, close).slice(0, MAX_FIELD);
}

const OPEN = "<task-notification>";
const CLOSE = "</task-notification>";
const TAG_OPEN = /<([a-z][a-z0-9_-]{0,40})>/y;

/**
 * The envelope's own top-level fields, read in order; undefined for anything that is not exactly one
 * envelope of fields (two envelopes, text between fields, a field twice). A field's text is never read
 * for tags, so an agent's `<result>` that quotes `<event>` or `<status>` is only its result. A result,
 * which may quote anything, ends at the first `</result>` that the envelope's own ending follows.
 */
function envelopeFields(prompt: string): Map<string, string> | undefined {
  const fields = new Map<string, string>();
  let i = prompt.indexOf(OPEN) + OPEN.length;
  const skipSpace = () => {
    while (i < prompt.length && /\s/.test(prompt[i] as string)) i++;
  };
  for (;;) {
    skipSpace();
    if (prompt.startsWith(CLOSE, i)) break;
    TAG_OPEN.lastIndex = i;
    const open = TAG_OPEN.exec(prompt);
    if (!open) return undefined;
    const name = open[1] as string;
    // Only the resume report names several tasks, one `<task-id>` each: the first is kept.
    if (fields.has(name) && name !== "task-id") return undefined;
    const start = i + open[0].length;
    const close = name === "result" ? resultEnd(prompt, start) : prompt.indexOf(`</${name}>`, start);
    if (close < 0) return undefined;
    if (!fields.has(name)) fields.set(name, prompt.slice(start, close));
    i = close + name.length + 3;
  }
  // A second envelope after this one, or this one's end again (a result that quoted it ended it early),
  // makes the prompt not one notice. Other text (a closing `</system-reminder>`) is not the envelope's.
  const rest = prompt.slice(i + CLOSE.length);
  return rest.includes(OPEN) || rest.includes(CLOSE) ? undefined : fields;
}

/** Where a `<result>` starting at `start` ends: at a `</result>` followed by `<usage>…` or the envelope's end. */
function resultEnd(prompt: string, start: number): number {
  for (
    let close = prompt.indexOf("</result>", start);
    close >= 0;
    close = prompt.indexOf("</result>", close + 1)
  ) {
    const after = prompt.slice(close + "</result>".length).trimStart();
    if (after.startsWith(CLOSE) || after.startsWith("<usage>")) return close;
  }
  return -1;
}

function number(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text.trim());
  return Number.isFinite(n) ? n : undefined;
}

/**
 * A task the person (or an app on the session) stopped: Claude Code queues this notice and hands it to the
 * model with its next request itself, through no hook and no prompt (2.1.332; test/fixtures/user-stop-task).
 */
export function isStoppedByPerson(notice: ParsedNotice): boolean {
  return /was stopped by the user or by the app/.test(notice.summary ?? "");
}

/**
 * Fields only a task's notice carries. An envelope with none of them and no `<task-id>` is a hook's wake-up
 * echo (`<summary>Stop hook feedback</summary>`, then the hook's text); one with any of them but no usable
 * `<task-id>` is a notice whose form bg-notify does not know.
 */
const TASK_FIELDS = ["status", "output-file", "tool-use-id", "result", "usage", "event"] as const;
const UNKNOWN_WITHOUT_ID: ParsedNotice = {
  noticeKind: "unknown",
  taskId: "",
  status: "unknown",
  kind: "shell",
};

export function isTaskNotification(prompt: string): boolean {
  return prompt.trimStart().startsWith("<task-notification>");
}

/**
 * What a notice prompt carries (see `noticeKind`), or undefined for any other prompt (including our echo).
 * A prompt that opens like a notice but is not exactly one envelope of fields (two envelopes in one
 * prompt, say), or carries a task's fields without a usable `<task-id>`, is an `unknown` notice (its
 * `taskId` empty when it has none): it passes untouched, whole.
 */
export function parseTaskNotification(prompt: string): ParsedNotice | undefined {
  if (typeof prompt !== "string" || !isTaskNotification(prompt)) return undefined;
  const fields = envelopeFields(prompt);
  if (!fields) {
    const loose = /<task-id>([^<]*)<\/task-id>/.exec(prompt)?.[1]?.trim();
    if (loose && isId(loose))
      return { noticeKind: "unknown", taskId: loose, status: "unknown", kind: "shell" };
    return TASK_FIELDS.some((name) => prompt.includes(`<${name}>`)) ? UNKNOWN_WITHOUT_ID : undefined;
  }
  const field = (name: string) => fields.get(name)?.slice(0, MAX_FIELD);
  const taskId = field("task-id")?.trim();
  if (!taskId || !isId(taskId))
    return TASK_FIELDS.some((name) => fields.has(name)) ? UNKNOWN_WITHOUT_ID : undefined;
  const statusWord = field("status")?.trim() || undefined;
  const status = statusWord ?? "completed";
  const summary = field("summary")?.trim();
  const result = field("result");
  const usageText = field("usage");
  const exitMatch = summary?.match(/exit code (-?\d+)/i);
  const agentMatch = summary?.match(/^Agent "(.*)"/s);
  const shellMatch = summary?.match(/^Background command "(.*)" (?:completed|failed|was|exited|killed)/s);
  const notice: ParsedNotice = {
    noticeKind: kindOf(taskId, statusWord, summary, fields.has("event")),
    taskId,
    status,
    kind: usageText !== undefined || agentMatch || result !== undefined ? "agent" : "shell",
  };
  const toolUseId = field("tool-use-id")?.trim();
  if (toolUseId) notice.toolUseId = toolUseId;
  const outputFile = field("output-file")?.trim();
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
