// What a hook accepts on stdin: Claude Code's JSON, validated loosely (unknown fields pass) but with every
// field we use checked for type and shape. Ids never become paths, and are still held to a strict charset.
import * as z from "zod/mini";
import { BgNotifyError } from "./errors.js";

/** Stdin beyond this is refused: Claude Code's own inputs are far smaller. */
export const MAX_STDIN_BYTES = 16 * 1024 * 1024;
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

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

export const hookInputSchema = z.looseObject({
  session_id: id,
  hook_event_name: text,
  cwd: z.optional(text),
  transcript_path: z.optional(text),
  prompt: z.optional(text),
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

export type HookInput = z.infer<typeof hookInputSchema>;
export type BackgroundTaskEntry = z.infer<typeof backgroundTaskSchema>;

export function parseHookInput(raw: string, expectedEvent?: string): HookInput {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new BgNotifyError("EINPUT", "stdin is not JSON");
  }
  const parsed = hookInputSchema.safeParse(json);
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

export function stringField(value: unknown, max = 20_000): string | undefined {
  return typeof value === "string" && value.length > 0 ? value.slice(0, max) : undefined;
}
