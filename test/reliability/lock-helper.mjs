// A lock holder for the lock tests, run as its own process over the shipped library (argv[2]: a copy of dist/index.js):
//   hold <dir> <ms>       take the state lock, print "locked", keep it <ms>, commit, print "done"
//   stall <dir> <taskId>  record a completion; on the first attempt print "inside 1" and block 400 ms
//                         inside the transaction (the test stops the process there); print "done"
//   try <dir>             take the lock without waiting: print "acquired" or the error code
import { writeSync } from "node:fs";

const [libraryPath, mode, dir, arg] = process.argv.slice(2);
const lib = await import(libraryPath);
const say = (text) => writeSync(1, `${text}\n`);
const block = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

if (mode === "hold") {
  await lib.withLockedState(dir, (state) => {
    state.ledger[`held-by-${process.pid}`] = Date.now();
    say("locked");
    block(Number(arg));
  });
  say("done");
} else if (mode === "stall") {
  let attempt = 0;
  const task = {
    id: arg,
    parentSessionId: "s-lock",
    kind: "shell",
    description: `job ${arg}`,
    status: "completed",
    completedAt: Date.now(),
  };
  await lib.withLockedState(dir, (state) => {
    attempt++;
    lib.enqueueCompletion(state, task, Date.now(), { batchWindowMs: 0, maxBatchSize: 50 });
    say(`inside ${attempt}`);
    if (attempt === 1) block(400);
  });
  say("done");
} else if (mode === "try") {
  try {
    await lib.withLockedState(dir, () => undefined, { retries: 0 });
    say("acquired");
  } catch (error) {
    say(error.code ?? "error");
  }
}
