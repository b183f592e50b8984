/**
 * When a failed delivery is tried again: Svix's schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
 * 10 h after the first try: 8 tries over about 27 hours), each wait stretched or shrunk by up to
 * 20 % so that a receiver coming back is not hit by every retry in the same second.
 */
export const RETRY_SCHEDULE_MS: readonly number[] = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];

export const JITTER = 0.2;

/**
 * The wait after the `failedAttempts`-th failed try, or undefined when the schedule is spent
 * (the message is then `failed`). `random` is in [0, 1).
 */
export function nextRetryDelay(
  failedAttempts: number,
  schedule: readonly number[],
  random: () => number,
): number | undefined {
  const base = schedule[failedAttempts - 1];
  if (base === undefined) return undefined;
  return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}
