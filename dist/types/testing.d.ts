export { enqueueCompletion } from "./core/batching.js";
export { withLockedState } from "./store/transaction.js";
