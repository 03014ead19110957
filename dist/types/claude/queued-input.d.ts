import type { LaunchInfo } from "./track-launches.js";
export type QueuedInput = {
    kind: "launch";
    parent: string;
    launch: LaunchInfo;
} | {
    kind: "prompt";
    parent: string;
    promptId: string;
};
/** The entry a queued file holds; undefined for a bad file or an input hooks/run never queues. */
export declare function queuedInput(text: string): QueuedInput | undefined;
