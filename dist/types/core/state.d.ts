import * as z from "zod/mini";
import type { BackgroundTask, Batch, BgNotifyConfig, BgState } from "./types.js";
export declare const STATE_VERSION = 1;
declare function buildStateSchema(): z.ZodMiniObject<{
    version: z.ZodMiniLiteral<1>;
    tasks: z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniObject<{
        id: z.ZodMiniString<string>;
        parentSessionId: z.ZodMiniString<string>;
        sessionId: z.ZodMiniOptional<z.ZodMiniString<string>>;
        kind: z.ZodMiniString<string>;
        description: z.ZodMiniString<string>;
        command: z.ZodMiniOptional<z.ZodMiniString<string>>;
        agentType: z.ZodMiniOptional<z.ZodMiniString<string>>;
        model: z.ZodMiniOptional<z.ZodMiniString<string>>;
        status: z.ZodMiniEnum<{
            pending: "pending";
            running: "running";
            completed: "completed";
            error: "error";
            cancelled: "cancelled";
        }>;
        originalStatus: z.ZodMiniOptional<z.ZodMiniString<string>>;
        queuedAt: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
        startedAt: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
        completedAt: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
        lastProgressAt: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
        result: z.ZodMiniOptional<z.ZodMiniString<string>>;
        error: z.ZodMiniOptional<z.ZodMiniString<string>>;
        exitCode: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
        outputFile: z.ZodMiniOptional<z.ZodMiniString<string>>;
        concurrencyKey: z.ZodMiniOptional<z.ZodMiniString<string>>;
        toolUseId: z.ZodMiniOptional<z.ZodMiniString<string>>;
        summary: z.ZodMiniOptional<z.ZodMiniString<string>>;
        usage: z.ZodMiniOptional<z.ZodMiniObject<{
            tokens: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
            toolUses: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
            durationMs: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
        }, z.core.$strip>>;
        generation: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
        background: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        vanishedAt: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
        ownerAgentId: z.ZodMiniOptional<z.ZodMiniString<string>>;
        turnId: z.ZodMiniOptional<z.ZodMiniString<string>>;
    }, z.core.$loose>>;
    batches: z.ZodMiniArray<z.ZodMiniObject<{
        id: z.ZodMiniString<string>;
        parentSessionId: z.ZodMiniString<string>;
        openedAt: z.ZodMiniNumber<number>;
        items: z.ZodMiniArray<z.ZodMiniObject<{
            key: z.ZodMiniString<string>;
            recordedAt: z.ZodMiniNumber<number>;
            task: z.ZodMiniObject<{
                id: z.ZodMiniString<string>;
                parentSessionId: z.ZodMiniString<string>;
                sessionId: z.ZodMiniOptional<z.ZodMiniString<string>>;
                kind: z.ZodMiniString<string>;
                description: z.ZodMiniString<string>;
                command: z.ZodMiniOptional<z.ZodMiniString<string>>;
                agentType: z.ZodMiniOptional<z.ZodMiniString<string>>;
                model: z.ZodMiniOptional<z.ZodMiniString<string>>;
                status: z.ZodMiniEnum<{
                    pending: "pending";
                    running: "running";
                    completed: "completed";
                    error: "error";
                    cancelled: "cancelled";
                }>;
                originalStatus: z.ZodMiniOptional<z.ZodMiniString<string>>;
                queuedAt: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
                startedAt: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
                completedAt: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
                lastProgressAt: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
                result: z.ZodMiniOptional<z.ZodMiniString<string>>;
                error: z.ZodMiniOptional<z.ZodMiniString<string>>;
                exitCode: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
                outputFile: z.ZodMiniOptional<z.ZodMiniString<string>>;
                concurrencyKey: z.ZodMiniOptional<z.ZodMiniString<string>>;
                toolUseId: z.ZodMiniOptional<z.ZodMiniString<string>>;
                summary: z.ZodMiniOptional<z.ZodMiniString<string>>;
                usage: z.ZodMiniOptional<z.ZodMiniObject<{
                    tokens: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
                    toolUses: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
                    durationMs: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
                }, z.core.$strip>>;
                generation: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
                background: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
                vanishedAt: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
                ownerAgentId: z.ZodMiniOptional<z.ZodMiniString<string>>;
                turnId: z.ZodMiniOptional<z.ZodMiniString<string>>;
            }, z.core.$loose>;
            promptId: z.ZodMiniOptional<z.ZodMiniString<string>>;
        }, z.core.$strip>>;
        deliveredAt: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
        deliveredVia: z.ZodMiniOptional<z.ZodMiniString<string>>;
        claimedBy: z.ZodMiniOptional<z.ZodMiniString<string>>;
        toldBy: z.ZodMiniOptional<z.ZodMiniEnum<{
            "claude-code": "claude-code";
            "parent-read": "parent-read";
        }>>;
        ackedAt: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
        correctedAt: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
    }, z.core.$strip>>;
    ledger: z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniNumber<number>>;
    sessions: z.ZodMiniOptional<z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniObject<{
        promptId: z.ZodMiniString<string>;
        at: z.ZodMiniNumber<number>;
    }, z.core.$strip>>>;
    listed: z.ZodMiniOptional<z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniObject<{
        at: z.ZodMiniNumber<number>;
        ids: z.ZodMiniArray<z.ZodMiniString<string>>;
    }, z.core.$strip>>>;
    wakes: z.ZodMiniOptional<z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniArray<z.ZodMiniNumber<number>>>>;
    tally: z.ZodMiniOptional<z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniObject<{
        completions: z.ZodMiniNumber<number>;
        idle: z.ZodMiniArray<z.ZodMiniNumber<number>>;
        woke: z.ZodMiniArray<z.ZodMiniNumber<number>>;
        transcript: z.ZodMiniOptional<z.ZodMiniString<string>>;
        allDoneAt: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
        at: z.ZodMiniNumber<number>;
    }, z.core.$strip>>>;
    hosts: z.ZodMiniOptional<z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniObject<{
        version: z.ZodMiniOptional<z.ZodMiniString<string>>;
        aside: z.ZodMiniOptional<z.ZodMiniString<string>>;
        said: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
        at: z.ZodMiniNumber<number>;
    }, z.core.$strip>>>;
    slots: z.ZodMiniOptional<z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniObject<{
        parentSessionId: z.ZodMiniString<string>;
        toolUseId: z.ZodMiniString<string>;
        tier: z.ZodMiniString<string>;
        description: z.ZodMiniString<string>;
        at: z.ZodMiniNumber<number>;
    }, z.core.$strip>>>;
    updatedAt: z.ZodMiniNumber<number>;
    commits: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
    journal: z.ZodMiniOptional<z.ZodMiniObject<{
        ino: z.ZodMiniNumber<number>;
        from: z.ZodMiniNumber<number>;
        to: z.ZodMiniNumber<number>;
    }, z.core.$strip>>;
}, z.core.$strip>;
/** The zod schema of state.json, the reference for `isPlainlyValidState` (test/core/plain-checks.test.ts). */
export declare function stateSchema(): ReturnType<typeof buildStateSchema>;
export declare function createEmptyState(now?: number): BgState;
/** Validates one task as the state holds it (a journal line's, say); never throws. */
export declare function parseTask(value: unknown): BackgroundTask | undefined;
export type StateParseResult = {
    ok: true;
    state: BgState;
} | {
    ok: false;
    reason: string;
};
/** Validates parsed JSON as state; never throws. */
export declare function parseState(value: unknown): StateParseResult;
export declare function taskKey(parentSessionId: string, taskId: string): string;
export declare function completionKey(task: BackgroundTask): string;
/**
 * Where a batch stands (docs/DESIGN.md, "Life of a batch"): `owed` until claimed; claimed by Claude Code's
 * own telling (`told-natively`), by an acknowledged route (`sent`, then `received` once the transcript
 * shows it), or by one with no acknowledgement (`delivered`: the parent's own read, the library, the CLI).
 */
export type BatchPhase = "owed" | "told-natively" | "sent" | "received" | "delivered";
export declare function phaseOf(batch: Batch): BatchPhase;
/** A batch sent by a route that is acknowledged, that the parent has not been seen to receive yet. */
export declare function isSentUnacknowledged(batch: Batch): boolean;
/**
 * A batch owed this long (7 days) belongs to a session that never came back: it is closed, so that the
 * launcher's fast path returns and state.json stays small. Its notices stand in that session's transcript.
 */
export declare const OWED_TTL_MS: number;
/** A wake budget spans at most an hour and WAKES_KEEP wake-ups (core/config.ts bounds it so). */
export declare const WAKES_TTL_MS: number;
export declare const WAKES_KEEP = 100;
/**
 * Whether the history holds more than `pruneState` keeps, whatever the ages: hooks check this on every
 * change and prune then, so a long session's file (which every hook reads) stays bounded.
 */
export declare function exceedsRetention(state: BgState): boolean;
/** Drops what no longer matters so the file, and every hook's parse of it, stays small. */
export declare function pruneState(state: BgState, now: number, config: Pick<BgNotifyConfig, "taskTtlMs" | "deliveredTtlMs"> & Partial<Pick<BgNotifyConfig, "owedTtlMs">>): void;
export {};
