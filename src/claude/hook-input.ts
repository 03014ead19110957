// What a hook accepts on stdin: Claude Code's JSON, validated loosely (unknown fields pass) but with every
// field we use checked for type and shape. Ids never become paths, and are still held to a strict charset.
import * as z from "zod/mini";
import { BgNotifyError } from "../core/errors.js";
import { ID_PATTERN, isId, isPlainObject, TASK_TEXT_CHARS } from "../core/guards.js";

/** Stdin beyond this is refused: Claude Code's own inputs are far smaller. */
export const MAX_STDIN_BYTES = 16 * 1024 * 1024;

// Built on first use: loading zod is most of a hook's start-up time, so the hook bundles load it only
// when an input is not plainly valid (see `isPlainlyValid`, and docs/PERFORMANCE.md).
function buildHookInputSchema() {
  const id = z.string().check(z.regex(ID_PATTERN));
  const text = z.string();

  const backgroundTaskSchema = z.looseObject({
    id,
    type: z.optional(text),
    status: z.optional(text),
    description: z.optional(text),
    command: z.optional(text),
    agent_type: z.optional(text),
  });

  return z.looseObject({
    session_id: id,
    hook_event_name: text,
    cwd: z.optional(text),
    transcript_path: z.optional(text),
    prompt: z.optional(text),
    prompt_id: z.optional(text),
    tool_name: z.optional(text),
    tool_input: z.optional(z.looseObject({})),
    tool_response: z.optional(z.unknown()),
    tool_use_id: z.optional(text),
    agent_id: z.optional(id),
    agent_type: z.optional(text),
    agent_transcript_path: z.optional(text),
    last_assistant_message: z.optional(z.nullable(text)),
    stop_hook_active: z.optional(z.boolean()),
    background_tasks: z.optional(z.array(backgroundTaskSchema)),
    source: z.optional(text),
    reason: z.optional(text),
  });
}

let schema: ReturnType<typeof buildHookInputSchema> | undefined;

export function hookInputSchema(): ReturnType<typeof buildHookInputSchema> {
  schema ??= buildHookInputSchema();
  return schema;
}

export type HookInput = z.infer<ReturnType<typeof buildHookInputSchema>>;
export type BackgroundTaskEntry = NonNullable<HookInput["background_tasks"]>[number];

const isOptionalText = (value: unknown) => value === undefined || typeof value === "string";
const TEXT_FIELDS = [
  "cwd",
  "transcript_path",
  "prompt",
  "prompt_id",
  "tool_name",
  "tool_use_id",
  "agent_type",
  "agent_transcript_path",
  "source",
  "reason",
] as const;
const TASK_TEXT_FIELDS = ["type", "status", "description", "command", "agent_type"] as const;

/**
 * The schema's verdict on the common case, without zod: true only for a value the schema accepts and
 * returns unchanged. Anything else (false) goes to the schema itself, for its verdict and its message.
 */
function isPlainlyValid(value: unknown): value is HookInput {
  if (!isPlainObject(value) || !isId(value["session_id"]) || typeof value["hook_event_name"] !== "string")
    return false;
  for (const field of TEXT_FIELDS) if (!isOptionalText(value[field])) return false;
  if (value["tool_input"] !== undefined && !isPlainObject(value["tool_input"])) return false;
  if (value["agent_id"] !== undefined && !isId(value["agent_id"])) return false;
  const last = value["last_assistant_message"];
  if (last !== undefined && last !== null && typeof last !== "string") return false;
  const stopActive = value["stop_hook_active"];
  if (stopActive !== undefined && typeof stopActive !== "boolean") return false;
  const tasks = value["background_tasks"];
  if (tasks === undefined) return true;
  if (!Array.isArray(tasks)) return false;
  for (const task of tasks) {
    if (!isPlainObject(task) || !isId(task["id"])) return false;
    for (const field of TASK_TEXT_FIELDS) if (!isOptionalText(task[field])) return false;
  }
  return true;
}

export function parseHookInput(raw: string, expectedEvent?: string): HookInput {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new BgNotifyError("EINPUT", "stdin is not JSON");
  }
  const parsed = isPlainlyValid(json)
    ? ({ success: true, data: json } as const)
    : hookInputSchema().safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.map(String).join(".").slice(0, 80) : "(root)";
    throw new BgNotifyError("EINPUT", `hook input field ${where} is missing or malformed`);
  }
  if (expectedEvent && parsed.data.hook_event_name !== expectedEvent) {
    throw new BgNotifyError(
      "EINPUT",
      `expected a ${expectedEvent} input, got ${JSON.stringify(parsed.data.hook_event_name.slice(0, 40))}`,
    );
  }
  return parsed.data;
}

/** A path from stdin we may stat (never write): absolute, no NUL, bounded. */
export function safeReadablePath(path: unknown): string | undefined {
  if (typeof path !== "string" || path.length === 0 || path.length > 4096) return undefined;
  if (!path.startsWith("/") || path.includes("\u0000")) return undefined;
  return path;
}

export function stringField(value: unknown, max = TASK_TEXT_CHARS): string | undefined {
  return typeof value === "string" && value.length > 0 ? value.slice(0, max) : undefined;
}
