// Hook entry: PostToolUse. Reads stdin, runs the handler, maps its result to stdout and the exit code.
import { runHookProcess } from "../hook-runtime.js";
import { handlePostToolUse } from "../hooks/tool-use.js";

void runHookProcess("PostToolUse", "PostToolUse", handlePostToolUse, { deadlineMs: 8000 });
