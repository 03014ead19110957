import { parseHookInput } from "/work/main/src/hook-input.ts";
parseHookInput('{"session_id":"abc","hook_event_name":"X"}');
