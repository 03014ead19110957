// Hook entry: UserPromptSubmit. Reads stdin, runs the handler, maps its result to stdout and the exit code.
import { runHookProcess } from "../hook-runtime.js";
import { handleUserPromptSubmit } from "../hooks/user-prompt-submit.js";

void runHookProcess("UserPromptSubmit", "UserPromptSubmit", handleUserPromptSubmit, { deadlineMs: 8000 });
