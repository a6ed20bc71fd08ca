/**
 * Active seconds as a share of tracked seconds, 0..100 (devices may report more active than
 * tracked, so it is capped). Null when nothing was tracked: 0 would say "tracked, but idle the
 * whole time", which is a different (and accusing) statement than "no measurement". Server
 * timelines/reports and the device's status use this one function.
 */
export function activityPercent(active: number, tracked: number): number | null {
  return tracked > 0 ? Math.min(100, Math.round((active / tracked) * 100)) : null;
}
