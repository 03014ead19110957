// The public face of claude-bg-notify: the background-manager design's library (plan 21-03), plus a few
// documented extras. Pinned by test/types/index.test-d.ts; internals are not exported.

export { BgNotifyError, type BgNotifyErrorCode, isBgNotifyError } from "./core/errors.js";
export { createEmptyState } from "./core/state.js";
export { formatBatchNotification } from "./core/summary.js";
export type {
  BackgroundTask,
  Batch,
  BatchCounts,
  BgNotifyConfig,
  BgState,
  Delivery,
  DeliveryRoute,
  Mode,
  TaskKind,
  TaskStatus,
  TaskUsage,
  TerminalStatus,
} from "./core/types.js";
export {
  type BackgroundConfig,
  BackgroundManager,
  type BackgroundManagerOptions,
  getBackgroundManager,
  type LaunchInput,
  resetBackgroundManager,
} from "./library/background-manager.js";
export {
  type Acquisition,
  type ConcurrencyConfig,
  ConcurrencyManager,
} from "./library/concurrency-manager.js";
export {
  DurableNotifier,
  type DurableNotifierConfig,
  type FlushOptions,
} from "./library/durable-notifier.js";
export {
  type BackgroundTaskCompletedPayload,
  type BackgroundTasksBatchPayload,
  type BackgroundTasksNotificationPayload,
  createHookEventBus,
  type HookEventBus,
  type HookEventListener,
  type HookEventMap,
} from "./library/event-bus.js";
export {
  createNotificationManager,
  type NotificationConfig,
  NotificationManager,
  type NotificationManagerOptions,
} from "./library/notification-manager.js";
export {
  clearBackgroundState,
  loadBackgroundState,
  saveBackgroundState,
} from "./store/background-state.js";
export { createFileStore, type FileStoreOptions } from "./store/file-store.js";
export { createMemoryStore, type MemoryStore } from "./store/memory-store.js";
export type { EventRecord, StateStore } from "./store/types.js";
