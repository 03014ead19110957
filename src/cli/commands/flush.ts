// `bg-notify flush`: claims what is owed now (window closed or not) through the notification manager over
// the file store, exactly as a hook would, and prints it. `--dry-run` only renders it.
import { undeliveredBatches } from "../../core/batching.js";
import { deliveriesFrom } from "../../core/delivery.js";
import type { Delivery } from "../../core/types.js";
import { createHookContext } from "../../plugin/context.js";
import { QUEUED_INPUTS } from "../../plugin/inbox-fold.js";
import { loadConfig } from "../../store/config-file.js";
import { readModuleSessions } from "../../store/module-records.js";
import { readState } from "../../store/transaction.js";
import { COMMON_OPTIONS, EXIT_OK, STATE_OPTIONS, stateLocation, stringOption } from "../args.js";
import type { Command } from "../command.js";

const HELP = `Usage: bg-notify flush [--session ID] [options]

Delivers every batch still owed (its window closed or not) and prints each combined notice. The
batches are marked delivered under the state lock: the session will not receive them again, so use
this when a session is gone or stuck. --dry-run shows the same text without claiming anything.

What the hooks module holds (in Claude Code's plugin store) is listed, never claimed: each of its
notices is in that session's conversation already and rides its next turn or its wake-up.

Options:
  --session ID       only what this parent session is owed (default: every session)
  --dry-run          print what would be delivered; change nothing
  --state-dir DIR    use this state directory (default: BG_NOTIFY_STATE_DIR, else <project>/.claude/bg-notify)
  --project-dir DIR  the project whose state and .claude/bg-notify.json to use
  --json             print one JSON object
  -h, --help         show this help

Exit status: 0 done (also when nothing was owed); 1 the lock could not be taken or the state cannot be
written; 2 bad arguments.`;

function deliveryJson(d: Delivery) {
  return {
    batchId: d.batchId,
    parentSessionId: d.parentSessionId,
    taskIds: d.tasks.map((t) => t.id),
    counts: d.counts,
    stillRunning: d.stillRunning,
    via: d.via,
    text: d.text,
  };
}

export const flushCommand: Command = {
  name: "flush",
  summary: "deliver what is owed now and print it",
  help: HELP,
  options: {
    ...COMMON_OPTIONS,
    ...STATE_OPTIONS,
    session: { type: "string" },
    "dry-run": { type: "boolean" },
  },

  async run(parsed, { io }) {
    const location = stateLocation(parsed, io.env, io.cwd);
    const sessionId = stringOption(parsed, "session");
    const dryRun = parsed.values["dry-run"] === true;
    const warnings: string[] = [];
    // Lock-free look first: nothing owed means no lock, and no state directory created.
    const snapshot = readState(location.layout, warnings, QUEUED_INPUTS);
    const owed = undeliveredBatches(snapshot, sessionId);
    let deliveries: Delivery[] = [];
    if (owed.length > 0 && dryRun) {
      const { config } = loadConfig({ env: location.env, cwd: location.cwd });
      deliveries = deliveriesFrom(snapshot, owed, "cli-flush", { excerptChars: config.resultExcerptChars });
    } else if (owed.length > 0) {
      const ctx = createHookContext({ env: location.env, cwd: location.cwd, source: "cli" });
      warnings.push(...ctx.warnings);
      const options = { force: true, via: "cli-flush" as const };
      deliveries =
        sessionId !== undefined
          ? await ctx.notifications.flushParent(sessionId, options)
          : await ctx.notifications.flushAll(options);
      warnings.push(...ctx.store.warnings.filter((w) => !warnings.includes(w)));
    }
    // Claude Code owns the plugin store and the module has told each held notice to its conversation:
    // the CLI reads it and writes nothing there.
    const heldByModule = (
      location.project !== undefined ? readModuleSessions(location.env, location.project, warnings) : []
    )
      .filter((s) => sessionId === undefined || s.sessionId === sessionId)
      .map((s) => ({
        sessionId: s.sessionId,
        taskIds: undeliveredBatches(s.state, s.sessionId).flatMap((b) => b.items.map((i) => i.task.id)),
      }))
      .filter((h) => h.taskIds.length > 0);
    for (const warning of new Set(warnings)) io.err(warning);

    if (parsed.values["json"] === true) {
      io.out(JSON.stringify({ dryRun, deliveries: deliveries.map(deliveryJson), heldByModule }, null, 2));
      return EXIT_OK;
    }
    const verb = dryRun ? "would deliver" : "delivered";
    const lines = [
      ...deliveries.map(
        (d) =>
          `${io.style.bold(`${verb} batch ${d.batchId} to session ${d.parentSessionId} (${d.tasks.length} task(s))`)}\n${d.text}`,
      ),
      ...heldByModule.map(
        (h) =>
          `${io.style.bold(`held by the hooks module in session ${h.sessionId}: ${h.taskIds.join(", ")}`)}\nIts notices are in that conversation already and ride its next turn or its wake-up; flush does not claim them.`,
      ),
    ];
    io.out(
      lines.length > 0
        ? lines.join("\n\n")
        : `nothing owed${sessionId !== undefined ? ` to session ${sessionId}` : ""}`,
    );
    return EXIT_OK;
  },
};
