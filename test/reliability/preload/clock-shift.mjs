// Preload (`node --import`): this process's clock runs BG_NOTIFY_TEST_CLOCK_SHIFT_MS ahead (or behind)
// the machine's, as a process whose clock disagrees with the file system's (an NFS server behind) does.
const shift = Number(process.env["BG_NOTIFY_TEST_CLOCK_SHIFT_MS"] ?? 0);
const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);
class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(realNow() + shift);
    else super(...args);
  }
  static now() {
    return realNow() + shift;
  }
}
globalThis.Date = ShiftedDate;
