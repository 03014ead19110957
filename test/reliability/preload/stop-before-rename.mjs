// Preload (`node --import`): the first rename onto state.json first writes the file BG_NOTIFY_TEST_STOPPED
// names, then stops this process (SIGSTOP) — right after its last look at the lock, right before the
// rename: the window a paused holder (a laptop lid, a VM pause) lands in. With BG_NOTIFY_TEST_KILL_AFTER
// set, it is killed (SIGKILL) right after that rename.
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";

const real = fs.renameSync;
const marker = process.env["BG_NOTIFY_TEST_STOPPED"];
let stopped = false;
fs.renameSync = function renameSync(from, to) {
  if (marker && !stopped && String(to).endsWith("/state.json")) {
    stopped = true;
    fs.writeFileSync(marker, String(process.pid));
    process.kill(process.pid, "SIGSTOP");
    const result = real.call(this, from, to);
    if (process.env["BG_NOTIFY_TEST_KILL_AFTER"]) process.kill(process.pid, "SIGKILL");
    return result;
  }
  return real.call(this, from, to);
};
syncBuiltinESMExports();
