/** Active seconds as a share of tracked seconds, 0..100 (devices may report more active than tracked); null when nothing was tracked. */
export function activityPercent(active: number, tracked: number): number | null {
  return tracked > 0 ? Math.min(100, Math.round((active / tracked) * 100)) : null;
}
