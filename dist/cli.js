#!/usr/bin/env node
import { createRequire as __bgNotifyCreateRequire } from "node:module"; const require = __bgNotifyCreateRequire(import.meta.url);
console.log("bg-notify 0.1.0");
