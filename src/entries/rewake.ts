// Hook entry: rewake. Reads stdin, runs the handler, maps its result to stdout and the exit code.
import { runHookProcess } from "../hook-runtime.js";
import { handleRewake } from "../hooks/rewake.js";

await runHookProcess("rewake", "UserPromptSubmit", handleRewake, { deadlineMs: 100_000 });
