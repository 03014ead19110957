// Turning claimed batches into deliveries (the notice text, counts, what still runs), as a pure step
// inside whichever transaction claims them. Both notification managers use this one path.
import {
  type BatchLimits,
  type ClaimOptions,
  claimBatches,
  countBatch,
  dueBatches,
  siblingsOf,
} from "./batching.js";
import { isActive } from "./lifecycle.js";
import { activeTasksOf, vanishedTasksOf } from "./running.js";
import { renderNotice, SUMMARY_CHAR_LIMIT } from "./summary.js";
import type { Batch, BgState, Delivery, DeliveryRoute } from "./types.js";

/** Below this, a further batch would be cut to uselessness: it waits for the next delivery point. */
const MIN_NOTICE_ROOM = 1500;

export interface RenderOptions {
  excerptChars?: number;
  charLimit?: number;
  runningCount?: RunningCount;
  /** The batching rule in force: with a hold, the notice says what it waited for. */
  limits?: BatchLimits;
  /** The tasks' own notices already stand in the conversation: a summary, one line per task. */
  brief?: boolean;
}

export function deliveriesFrom(
  state: BgState,
  batches: readonly Batch[],
  via: DeliveryRoute,
  options: RenderOptions = {},
): Delivery[] {
  const runningCount = options.runningCount ?? ((parent: string) => activeTasksOf(state, parent).length);
  // Only the state's own view knows what Claude Code stopped listing; a caller's count has no such thing.
  const endedCount = (parent: string) =>
    options.runningCount === undefined ? vanishedTasksOf(state, parent).length : 0;
  return batches.map((batch) => {
    const tasks = batch.items.map((item) => item.task);
    const counts = countBatch(tasks);
    const stillRunning = runningCount(batch.parentSessionId);
    const endedUnknown = endedCount(batch.parentSessionId);
    const waited = options.limits?.hold?.waitForSiblings ? waitedFor(state, batch) : undefined;
    const text = renderNotice({
      batchId: batch.id,
      tasks,
      counts,
      stillRunning,
      ...(endedUnknown > 0 ? { endedUnknown } : {}),
      ...(waited ? { waited } : {}),
      ...(options.excerptChars !== undefined ? { excerptChars: options.excerptChars } : {}),
      ...(options.charLimit !== undefined ? { limit: options.charLimit } : {}),
      ...(options.brief ? { brief: true } : {}),
    });
    return {
      batchId: batch.id,
      parentSessionId: batch.parentSessionId,
      tasks,
      counts,
      stillRunning,
      allComplete: stillRunning === 0,
      via,
      text,
    };
  });
}

/** What a batch held for its siblings waited for: the tasks of the turns that launched it. */
function waitedFor(
  state: BgState,
  batch: Batch,
): { finished: number; total: number; turns: number } | undefined {
  const siblings = siblingsOf(state, batch);
  if (siblings.length < 2) return undefined;
  const finished = siblings.filter((t) => !isActive(t)).length;
  return { finished, total: siblings.length, turns: new Set(siblings.map((t) => t.turnId)).size };
}

/** How many of a parent's tasks still run; by default, those the state holds as pending or running. */
export type RunningCount = (parentSessionId: string) => number;

export interface DeliveryRequest extends Omit<ClaimOptions, "by"> {
  runningCount?: RunningCount;
  /** Total characters the delivered texts may take (one hook output); later batches stay owed. */
  charBudget?: number;
  excerptChars?: number;
  brief?: boolean;
}

/** Claims what the request covers, marks it delivered by `by`, and renders it. */
export function claimDeliveries(
  state: BgState,
  now: number,
  limits: BatchLimits,
  by: string,
  request: DeliveryRequest,
): Delivery[] {
  const { charBudget, excerptChars, runningCount, brief, ...claim } = request;
  const options: ClaimOptions = { ...claim, by };
  const render: RenderOptions = {
    limits,
    ...(excerptChars !== undefined ? { excerptChars } : {}),
    ...(runningCount ? { runningCount } : {}),
    ...(brief ? { brief } : {}),
  };
  if (charBudget === undefined)
    return deliveriesFrom(state, claimBatches(state, now, limits, options), request.via, render);
  const out: Delivery[] = [];
  let room = charBudget;
  while (room >= MIN_NOTICE_ROOM && (claim.limit === undefined || out.length < claim.limit)) {
    const [next] = dueBatches(state, now, limits, options);
    if (!next) break;
    const renderAt = (charLimit: number) =>
      deliveriesFrom(state, [next], request.via, { ...render, charLimit })[0] as Delivery;
    let delivery = renderAt(SUMMARY_CHAR_LIMIT);
    // A batch that fits only cut waits for the next delivery point, unless nothing went out yet.
    if (delivery.text.length + 2 > room) {
      if (out.length > 0) break;
      delivery = renderAt(Math.min(SUMMARY_CHAR_LIMIT, room));
    }
    claimBatches(state, now, limits, { ...options, limit: 1 });
    out.push(delivery);
    room -= delivery.text.length + 2;
  }
  return out;
}
