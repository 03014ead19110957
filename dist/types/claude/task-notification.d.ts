export interface ParsedNotice {
    taskId: string;
    toolUseId?: string;
    outputFile?: string;
    status: string;
    summary?: string;
    result?: string;
    exitCode?: number;
    kind: "shell" | "agent";
    description?: string;
    usage?: {
        tokens?: number;
        toolUses?: number;
        durationMs?: number;
    };
}
export declare function isTaskNotification(prompt: string): boolean;
/** The completion a notice prompt carries, or undefined for any other prompt (including our echo). */
export declare function parseTaskNotification(prompt: string): ParsedNotice | undefined;
