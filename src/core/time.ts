// ISO 8601 (UTC, as Date#toISOString writes it) from epoch milliseconds, without a Date: the first Date a
// process constructs makes V8 load the time zone (/etc/localtime and its links), on every hook's path.

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** Date#toISOString for 0000–9999 (Howard Hinnant's days-to-civil); anything else via Date. */
export function isoTime(ms: number): string {
  if (!Number.isFinite(ms) || ms < -62_167_219_200_000 || ms >= 253_402_300_800_000)
    return new Date(ms).toISOString();
  // As Date does: the time value is truncated to whole milliseconds.
  const t = Math.trunc(ms);
  const days = Math.floor(t / 86_400_000);
  const inDay = t - days * 86_400_000;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const h = Math.floor(inDay / 3_600_000);
  const m = Math.floor((inDay % 3_600_000) / 60_000);
  const s = Math.floor((inDay % 60_000) / 1000);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(inDay % 1000, 3)}Z`;
}
