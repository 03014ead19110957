import "/work/main/src/hook-input.ts";
import "/work/main/src/state.ts";
import "/work/main/src/config.ts";
