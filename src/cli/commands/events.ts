// `bg-notify events`: the event log (events.jsonl and its rotated predecessor events.1.jsonl, with the
// events of the sessions the hooks module held), optionally followed as it grows.

import { readEventLines } from "../../store/file-store.js";
import { readModuleSessions } from "../../store/module-records.js";
import type { EventRecord } from "../../store/types.js";
import { COMMON_OPTIONS, EXIT_OK, STATE_OPTIONS, stateLocation } from "../args.js";
import type { Command } from "../command.js";
import { type Style, shorten } from "../output.js";

const HELP = `Usage: bg-notify events [--follow] [--type TYPE] [options]

Prints the plugin's event log (events.jsonl, after the rotated events.1.jsonl, and the last 200
events of each session the in-process hooks module held, from Claude Code's plugin store), in time
order: each completion recorded, each batch delivered (and how), held notices a turn already carried
to the model, each session end.

Options:
  -f, --follow       keep printing new events as they are written, until Ctrl-C
  --type TYPE        only events of this type (repeat or comma-separate for several), e.g.
                     background_task_completed, background_tasks_notification, held_notices_seen,
                     session_end
  --state-dir DIR    read this state directory (default: BG_NOTIFY_STATE_DIR, else
                     <project>/.claude/bg-notify)
  --project-dir DIR  the project whose state to read (default: CLAUDE_PROJECT_DIR or the current directory)
  --json             one JSON object per line (the records as stored)
  -h, --help         show this help

Exit status: 0 printed (an absent log prints nothing); 1 the state directory cannot be read; 2 bad arguments.`;

const FOLLOW_POLL_MS = 500;

function scalar(value: unknown): string {
  if (typeof value === "string") return shorten(value, 60);
  if (Array.isArray(value))
    return shorten(value.map((v) => (typeof v === "object" ? JSON.stringify(v) : String(v))).join(","), 80);
  if (typeof value === "object" && value !== null) return shorten(JSON.stringify(value), 80);
  return String(value);
}

export function eventLine(record: EventRecord, style: Style): string {
  const payload =
    typeof record.payload === "object" && record.payload !== null && !Array.isArray(record.payload)
      ? Object.entries(record.payload as Record<string, unknown>)
          .filter(([, v]) => v !== undefined && v !== null)
          .map(([k, v]) => `${k}=${scalar(v)}`)
          .join(" ")
      : scalar(record.payload);
  return `${style.dim(String(record.time))}  ${style.bold(String(record.type).padEnd(30))} ${String(record.source).padEnd(18)} ${shorten(payload, 400)}`;
}

export const eventsCommand: Command = {
  name: "events",
  summary: "print (or follow) the event log",
  help: HELP,
  options: {
    ...COMMON_OPTIONS,
    ...STATE_OPTIONS,
    follow: { type: "boolean", short: "f" },
    type: { type: "string", multiple: true },
  },

  async run(parsed, { io }) {
    const location = stateLocation(parsed, io.env, io.cwd);
    const typeValues = (parsed.values["type"] as unknown as string[] | undefined) ?? [];
    const types = new Set(
      typeValues
        .flatMap((t) => t.split(","))
        .map((t) => t.trim())
        .filter(Boolean),
    );
    const json = parsed.values["json"] === true;
    const wanted = (record: EventRecord) => types.size === 0 || types.has(record.type);
    const print = (records: readonly EventRecord[]) => {
      const lines = records.filter(wanted).map((r) => (json ? JSON.stringify(r) : eventLine(r, io.style)));
      if (lines.length > 0) io.out(lines.join("\n"));
    };
    const keyOf = (record: EventRecord) =>
      typeof record.id === "string" ? record.id : JSON.stringify(record);

    // The module's sessions keep their events in Claude Code's plugin store, beside the log.
    const read = (): EventRecord[] => {
      const moduleEvents =
        location.project !== undefined
          ? readModuleSessions(location.env, location.project).flatMap((session) => session.events)
          : [];
      const all = readEventLines(location.layout);
      if (moduleEvents.length === 0) return all;
      return [...all, ...moduleEvents].sort((a, b) => String(a.time).localeCompare(String(b.time)));
    };
    let records = read();
    print(records);
    if (parsed.values["follow"] !== true) return EXIT_OK;

    // Re-reading both files and printing unseen ids survives rotation without tracking offsets.
    let seen = new Set(records.map(keyOf));
    let stop = false;
    let wake: () => void = () => {};
    io.onInterrupt(() => {
      stop = true;
      wake();
    });
    while (!stop) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, FOLLOW_POLL_MS);
      });
      if (stop) break;
      records = read();
      print(records.filter((r) => !seen.has(keyOf(r))));
      seen = new Set(records.map(keyOf));
    }
    return EXIT_OK;
  },
};
