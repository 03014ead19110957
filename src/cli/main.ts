// Entry of the `bg-notify` command (bundled to dist/cli.js): runs the CLI and exits with its code once
// what it printed has been written.
import { createProcessIo } from "./output.js";
import { main } from "./run.js";

const code = await main(process.argv.slice(2), createProcessIo());
process.stdout.write("", () => process.exit(code));
