// The claim window, measured: a batch is marked delivered before the process that claimed it has printed
// it and exited. A kill inside that window loses the batch. This probe kills a claiming rewake hook at a
// uniformly random moment of a span around its end; (losses / trials) × span estimates the window in ms.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseTaskNotification } from "../../src/claude/task-notification.ts";
import { recordNotice } from "../../src/claude/track-notices.ts";
import { recorderFor } from "../../src/core/batching.ts";
import { parseState } from "../../src/core/state.ts";
import { withLockedState } from "../../src/store/transaction.ts";
import { hookEnv, median, noticePrompt, promptInput, rng, startHook, tempTree } from "./harness.ts";

export interface ClaimWindowFigures {
  trials: number;
  /** Killed before the claim committed: the batch is still owed (nothing lost). */
  killedBeforeClaim: number;
  /** Exited normally with the batch on stderr (exit 2): the kill came too late. */
  delivered: number;
  /** Claim committed, process killed before exiting: the batch is marked delivered and nobody got it. */
  lost: number;
  /** The span (ms) kills were spread over, ending a little after the typical exit. */
  spanMs: number;
  /** lost / trials × spanMs: how long, on average, a claim is committed but not yet out. */
  windowMs: number;
  medianLifeMs: number;
}

export async function runClaimWindowProbe(options: {
  trials: number;
  seed: number;
}): Promise<ClaimWindowFigures> {
  const random = rng(options.seed);
  const tree = tempTree("window");
  const figures: ClaimWindowFigures = {
    trials: 0,
    killedBeforeClaim: 0,
    delivered: 0,
    lost: 0,
    spanMs: 0,
    windowMs: 0,
    medianLifeMs: 0,
  };
  const lives: number[] = [];
  let spanTotal = 0;
  try {
    for (let i = 0; i < options.trials + 5; i++) {
      const stateDir = join(tree.root, `w${i}`);
      const taskId = `w${i}`;
      const prompt = noticePrompt(taskId);
      const notice = parseTaskNotification(prompt);
      if (!notice) throw new Error("test notice did not parse");
      await withLockedState(stateDir, (s) =>
        recordNotice(
          s,
          "sw",
          notice,
          Date.now(),
          recorderFor(s, Date.now(), { batchWindowMs: 0, maxBatchSize: 5 }),
        ),
      );
      const env = hookEnv({ ...tree, stateDir }, { BG_NOTIFY_BATCH_WINDOW_MS: "0" });
      const proc = startHook("rewake", JSON.stringify(promptInput("sw", prompt)), env);
      // The first runs are not killed: they measure how long a claiming rewake lives.
      const warmup = i < 5;
      const life = median(lives.slice(-40));
      const lo = life * 0.5;
      const hi = life * 1.15;
      let killed = false;
      const timer = warmup
        ? undefined
        : setTimeout(
            () => {
              if (proc.child.exitCode === null && proc.child.signalCode === null) {
                killed = true;
                proc.child.kill("SIGKILL");
              }
            },
            lo + random() * (hi - lo),
          );
      const outcome = await proc.done;
      if (timer) clearTimeout(timer);
      if (!killed) lives.push(outcome.durationMs);
      if (warmup) continue;
      spanTotal += hi - lo;
      figures.trials++;
      const path = join(stateDir, "state.json");
      const state = existsSync(path) ? parseState(JSON.parse(readFileSync(path, "utf8"))) : undefined;
      const claimed = state?.ok === true && state.state.batches.some((b) => b.deliveredAt !== undefined);
      if (outcome.signal === null && outcome.exitCode === 2) figures.delivered++;
      else if (claimed) figures.lost++;
      else figures.killedBeforeClaim++;
    }
  } finally {
    tree.cleanup();
  }
  figures.spanMs = figures.trials > 0 ? spanTotal / figures.trials : 0;
  figures.windowMs = figures.trials > 0 ? (figures.lost / figures.trials) * figures.spanMs : 0;
  figures.medianLifeMs = median(lives);
  return figures;
}
