import type { BackgroundTask, Batch, BgState, DeliveryRoute, Teller } from "./types.js";
export type NativeDeliveryOutcome = {
    kind: "told";
    key: string;
    batchId: string;
} | {
    kind: "duplicate";
    key: string;
};
/**
 * A completion Claude Code tells the parent itself (a notice inside a running turn, which must not be
 * blocked): recorded as already delivered, and taken out of any batch still waiting, so it is told once.
 */
export declare function recordNativeDelivery(state: BgState, task: BackgroundTask, now: number, via: DeliveryRoute, by?: Teller): NativeDeliveryOutcome;
/** The parent received these batches (its echo prompt or transcript names them). */
export declare function acknowledgeBatches(state: BgState, batchIds: readonly string[], now: number): string[];
/** A sent batch that never reached the parent is owed again, whole, in its own place in line. */
export declare function reopenBatches(state: BgState, batchIds: readonly string[]): string[];
/**
 * Tasks of this parent whose completion bg-notify held back and told in a combined notice, not yet
 * corrected on a resume: Claude Code finds no completion record for them and reports them "stopped".
 */
export declare function heldCompletionsToCorrect(state: BgState, parentSessionId: string): {
    batch: Batch;
    task: BackgroundTask;
}[];
