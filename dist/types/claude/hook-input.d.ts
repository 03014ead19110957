import * as z from "zod/mini";
/** Stdin beyond this is refused: Claude Code's own inputs are far smaller. */
export declare const MAX_STDIN_BYTES: number;
declare function buildHookInputSchema(): z.ZodMiniObject<{
    session_id: z.ZodMiniString<string>;
    hook_event_name: z.ZodMiniString<string>;
    cwd: z.ZodMiniOptional<z.ZodMiniString<string>>;
    transcript_path: z.ZodMiniOptional<z.ZodMiniString<string>>;
    prompt: z.ZodMiniOptional<z.ZodMiniString<string>>;
    prompt_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    tool_name: z.ZodMiniOptional<z.ZodMiniString<string>>;
    tool_input: z.ZodMiniOptional<z.ZodMiniObject<{}, z.core.$loose>>;
    tool_response: z.ZodMiniOptional<z.ZodMiniUnknown>;
    tool_use_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    agent_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    agent_type: z.ZodMiniOptional<z.ZodMiniString<string>>;
    agent_transcript_path: z.ZodMiniOptional<z.ZodMiniString<string>>;
    last_assistant_message: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
    stop_hook_active: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
    background_tasks: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniObject<{
        id: z.ZodMiniString<string>;
        type: z.ZodMiniOptional<z.ZodMiniString<string>>;
        status: z.ZodMiniOptional<z.ZodMiniString<string>>;
        description: z.ZodMiniOptional<z.ZodMiniString<string>>;
        command: z.ZodMiniOptional<z.ZodMiniString<string>>;
        agent_type: z.ZodMiniOptional<z.ZodMiniString<string>>;
    }, z.core.$loose>>>;
    source: z.ZodMiniOptional<z.ZodMiniString<string>>;
    reason: z.ZodMiniOptional<z.ZodMiniString<string>>;
}, z.core.$loose>;
export declare function hookInputSchema(): ReturnType<typeof buildHookInputSchema>;
export type HookInput = z.infer<ReturnType<typeof buildHookInputSchema>>;
export type BackgroundTaskEntry = NonNullable<HookInput["background_tasks"]>[number];
export declare function parseHookInput(raw: string, expectedEvent?: string): HookInput;
/** A path from stdin we may stat (never write): absolute, no NUL, bounded. */
export declare function safeReadablePath(path: unknown): string | undefined;
export declare function stringField(value: unknown, max?: number): string | undefined;
export {};
