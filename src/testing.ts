// Test-only entry: internals that child-process tests drive from outside the public face (the lock
// helper takes the state lock itself). Bundled on demand by test/reliability/harness.ts, never shipped.
export { enqueueCompletion } from "./core/batching.js";
export { withLockedState } from "./store/transaction.js";
