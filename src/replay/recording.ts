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
