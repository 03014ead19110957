// The public face, pinned at the type level (compiled by `npm run typecheck`, never run): the design's
// own calls must type-check, and what the face must not accept is marked @ts-expect-error.

import * as face from "../../src/index.ts";
import {
  type BackgroundConfig,
  BackgroundManager,
  type BackgroundTask,
  BgNotifyError,
  type BgState,
  ConcurrencyManager,
  clearBackgroundState,
  createEmptyState,
  createHookEventBus,
  type createNotificationManager,
  formatBatchNotification,
  getBackgroundManager,
  type HookEventBus,
  type loadBackgroundState,
  type NotificationConfig,
  NotificationManager,
  resetBackgroundManager,
  saveBackgroundState,
} from "../../src/index.ts";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(_: T): void {}

// NotificationManager: the class, its constructor and its synchronous methods.
const config: NotificationConfig = { batchWindow: 1000, maxBatchSize: 5 };
const bus: HookEventBus = createHookEventBus();
const manager = new NotificationManager(config, bus);
new NotificationManager();
const task: BackgroundTask = {
  id: "t",
  parentSessionId: "p",
  kind: "shell",
  description: "d",
  status: "completed",
};
expectType<Equal<ReturnType<typeof manager.notify>, void>>(true);
expectType<Equal<ReturnType<typeof manager.flushParent>, void>>(true);
expectType<Equal<ReturnType<typeof manager.flushAll>, void>>(true);
expectType<Equal<ReturnType<typeof manager.clear>, void>>(true);
expectType<Equal<ReturnType<typeof manager.getEventBus>, HookEventBus>>(true);
manager.notify(task);
expectType<Equal<ReturnType<typeof createNotificationManager>, NotificationManager>>(true);
// @ts-expect-error the design's config has no such key
new NotificationManager({ window: 10 });

// formatBatchNotification: the design's three arguments, and a fourth for cancelled.
expectType<Equal<ReturnType<typeof formatBatchNotification>, string>>(true);
formatBatchNotification(3, 2, 1);
formatBatchNotification(3, 1, 1, 1);
// @ts-expect-error counts are numbers
formatBatchNotification("3", 2, 1);

// The design's own caller: two fields given, the rest from the defaults.
const bc: BackgroundConfig = { notificationBatchWindow: 1000, notificationMaxBatch: 5 };
expectType<Equal<ReturnType<typeof getBackgroundManager>, BackgroundManager>>(true);
new BackgroundManager(bc);
expectType<Equal<BackgroundManager["config"]["notificationBatchWindow"], number>>(true);
// @ts-expect-error a window is a number of milliseconds
new BackgroundManager({ notificationBatchWindow: "1s" });

// BackgroundManager: the design's config keys, boolean finishers.
const background: BackgroundConfig = {
  notificationBatchWindow: 150,
  notificationMaxBatch: 2,
  modelConcurrency: { opus: 2 },
  defaultConcurrency: 3,
  staleTimeoutMs: 1000,
  taskTtlMs: 1000,
};
const bm = new BackgroundManager(background);
expectType<Equal<ReturnType<typeof bm.completeTask>, boolean>>(true);
expectType<Equal<ReturnType<typeof bm.failTask>, boolean>>(true);
expectType<Equal<ReturnType<typeof bm.cancelTask>, boolean>>(true);
expectType<Equal<ReturnType<typeof bm.getEventBus>, HookEventBus>>(true);
expectType<Equal<ReturnType<typeof getBackgroundManager>, BackgroundManager>>(true);
getBackgroundManager({ notificationMaxBatch: 3 });
resetBackgroundManager();
// @ts-expect-error not a design key
new BackgroundManager({ batchWindowMs: 10 });

// ConcurrencyManager and the state functions.
new ConcurrencyManager({ modelConcurrency: { haiku: 5 }, defaultConcurrency: 3 });
const state: BgState = createEmptyState();
expectType<Equal<ReturnType<typeof loadBackgroundState>, BgState>>(true);
void saveBackgroundState(state, "/tmp/x");
void clearBackgroundState("/tmp/x");
new BgNotifyError("ESTATE", "x");

// The face stays narrow: these internals are not exported.
// @ts-expect-error internal
face.enqueueCompletion;
// @ts-expect-error internal
face.withLockedState;
// @ts-expect-error internal
face.claimBatches;
// @ts-expect-error internal
face.renderNotice;
