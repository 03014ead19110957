// Hook entry: rewake. Reads stdin, runs the handler, maps its result to stdout and the exit code.
import { runHookProcess } from "../hook-runtime.js";
import { handleRewake } from "../hooks/rewake.js";

void runHookProcess("rewake", "UserPromptSubmit", handleRewake, { deadlineMs: 100_000 });
