import type { CapturePolicy } from '../../shared/policy';

/** Until when (epoch ms) the user may still delete a screenshot taken at `takenAt`. */
export function deletableUntilMs(takenAt: number, policy: CapturePolicy): number {
  return takenAt + policy.screenshotDeleteGraceSeconds * 1000;
}
