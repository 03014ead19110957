// isoTime writes what Date#toISOString writes, without constructing a Date on the hooks' path.
import assert from "node:assert/strict";
import { test } from "node:test";
import { isoTime } from "../../src/core/time.ts";

test("isoTime equals Date#toISOString: edges of days, months, leap years, centuries, and random times", () => {
  const edges = [
    0, -1, 1, 951_782_399_999, 951_782_400_000, 951_868_800_000, 4_107_542_399_999, 4_107_542_400_000,
    1_796_140_032_286, 253_402_300_799_999, -62_167_219_200_000, 1.5, -0.5,
  ];
  let x = 20261201;
  const random = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  const samples = Array.from({ length: 5000 }, () => Math.floor((random() * 2 - 0.2) * 4e12));
  for (const ms of [...edges, ...samples]) assert.equal(isoTime(ms), new Date(ms).toISOString(), String(ms));
  assert.equal(isoTime(8.64e15), new Date(8.64e15).toISOString(), "out of range: as Date writes it");
  assert.throws(() => isoTime(Number.NaN), RangeError, "as Date#toISOString");
});
