// Public library surface of bg-notify: the background-manager core that hooks, the CLI and Agent SDK apps share.
export * from "./background-manager.js";
export * from "./batching.js";
export * from "./concurrency-manager.js";
export * from "./config.js";
export * from "./errors.js";
export * from "./event-bus.js";
export * from "./memory-store.js";
export * from "./notice.js";
export * from "./notification-manager.js";
export * from "./state.js";
export * from "./store.js";
export * from "./task-lifecycle.js";
export * from "./task-notification.js";
export type * from "./types.js";
