// Hook entry: UserPromptSubmit (asyncRewake). Its row in hook-table.ts says how long it may run; runtime.ts does the rest.
import { handleRewake } from "../handlers/rewake.js";
import { runHookProcess } from "../runtime.js";

void runHookProcess("rewake", handleRewake);
