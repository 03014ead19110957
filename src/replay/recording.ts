// A recording of hook inputs (`{"offsetMs", "input"}` lines), and which of its events happen under the plugin.
import { BgNotifyError } from "../core/errors.js";

export interface RecordedEvent {
  offsetMs: number;
  input: Record<string, unknown>;
}

export function parseRecording(text: string): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  let last = 0;
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new BgNotifyError("EINPUT", `line ${i + 1} is not JSON`);
    }
    if (typeof value !== "object" || value === null)
      throw new BgNotifyError("EINPUT", `line ${i + 1} is not a JSON object`);
    const obj = value as Record<string, unknown>;
    if (typeof obj["input"] === "object" && obj["input"] !== null && typeof obj["offsetMs"] === "number") {
      last = obj["offsetMs"];
      events.push({ offsetMs: obj["offsetMs"], input: obj["input"] as Record<string, unknown> });
    } else if (typeof obj["hook_event_name"] === "string") {
      events.push({ offsetMs: last, input: obj });
    } else {
      throw new BgNotifyError("EINPUT", `line ${i + 1} is neither {offsetMs, input} nor a hook input`);
    }
  });
  return events;
}

/** Events Claude Code sends only while a prompt's turn runs. */
const TURN_EVENTS: ReadonlySet<string> = new Set([
  "Stop",
  "PreToolUse",
  "PostToolUse",
  "PostToolUseFailure",
  "PostToolBatch",
  "SubagentStart",
  "SubagentStop",
]);

/**
 * Whether a recorded event belongs to the turn of a prompt the plugin held (`held`: their prompt_ids):
 * recorded natively, that turn never happens under the plugin, since Claude Code starts none for a held
 * prompt. A session's start and end and the prompts themselves are not a turn's (SessionEnd names the
 * last prompt).
 */
export function isTurnOfHeld(input: Record<string, unknown>, held: ReadonlySet<string>): boolean {
  const promptId = input["prompt_id"];
  return (
    typeof promptId === "string" && held.has(promptId) && TURN_EVENTS.has(String(input["hook_event_name"]))
  );
}
