import type { CapturePolicy } from '../../shared/policy';
import { deletableUntil } from '../../shared/rules/grace-window';

/** Until when (epoch ms) the user may still delete a screenshot taken at `takenAt`. */
export function deletableUntilMs(takenAt: number, policy: CapturePolicy): number {
  return deletableUntil(takenAt, policy.screenshotDeleteGraceSeconds);
}
