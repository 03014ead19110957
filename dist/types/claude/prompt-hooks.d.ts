export interface PromptHook {
    /** Where it is declared: a settings file's path, or `plugin name@marketplace`. */
    source: string;
    /** The command as declared, or the hook's type where it runs none (`prompt`, `agent`). */
    command: string;
    /**
     * Whether it looks like it skips task notifications: its command, or the script file it names, mentions
     * `task-notification`. A guess from its text, never from running it.
     */
    skipsNotices: boolean;
}
/** The UserPromptSubmit hooks of one settings object or plugin hooks.json (`{ hooks: { … } }`). */
export declare function promptHooksOf(json: unknown, source: string, readScript: (command: string) => string | undefined): PromptHook[];
/** The plugins these settings objects enable (`enabledPlugins: { "name@marketplace": true }`), later ones winning. */
export declare function enabledPlugins(settings: readonly unknown[]): string[];
/** Where Claude Code installed each plugin (`plugins/installed_plugins.json`): name → install folders. */
export declare function installPaths(installed: unknown): Map<string, string[]>;
