const DAY_MS = 24 * 60 * 60 * 1000;

const isWeekend = (date: Date): boolean => {
  const day = date.getUTCDay();
  return day === 0 || day === 6;
};

/**
 * `date` plus `n` working days (Saturdays and Sundays skipped), keeping the
 * time of day. Computed in UTC so the due time of a stage does not depend on
 * the time zone of the process that computes it. A start on a weekend counts
 * from the next Monday's same time: a request filed on Saturday with a
 * one-day SLA is due Tuesday, not Monday. Public holidays are not modelled.
 */
export const addWorkingDays = (date: Date, n: number): Date => {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`addWorkingDays needs a non-negative integer, got ${n}`);
  }
  let current = new Date(date.getTime());
  while (isWeekend(current)) current = new Date(current.getTime() + DAY_MS);
  let remaining = n;
  while (remaining > 0) {
    current = new Date(current.getTime() + DAY_MS);
    if (!isWeekend(current)) remaining -= 1;
  }
  return current;
};
