/**
 * Named crash points for the crash-safety tests: when STINT_FAULT_POINT names this point,
 * the process dies here with SIGKILL, exactly as a power cut or `kill -9` would leave it.
 * Unset in normal runs, where this is a string comparison.
 */
export function faultPoint(name: string): void {
  if (process.env.STINT_FAULT_POINT !== name) return;
  // In the capture helper process a power cut takes the agent down with it.
  if (process.env.STINT_CAPTURE_HELPER === '1') process.kill(process.ppid, 'SIGKILL');
  process.kill(process.pid, 'SIGKILL');
}
