import type { CapturePolicy } from '../../shared/policy';
import { deletableUntil } from '../../shared/rules/grace-window';

/** Until when (epoch ms) the user may still delete a screenshot taken at `takenAt`: the grace or the review window, whichever is longer. */
export function deletableUntilMs(takenAt: number, policy: CapturePolicy): number {
  return deletableUntil(takenAt, Math.max(policy.screenshotDeleteGraceSeconds, policy.reviewMinutes * 60));
}
