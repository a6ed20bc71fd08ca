/**
 * The screenshot grace window: an employee may delete their own screenshot until
 * `takenAt + graceSeconds`. The one rule the server enforces and the device shows.
 */
export function deletableUntil(takenAtMs: number, graceSeconds: number): number {
  return takenAtMs + graceSeconds * 1000;
}

/**
 * Whether a delete asked for at `askedAtMs` is in time. The caller passes the earlier of the
 * device's stated time and its own now, so a device clock running ahead cannot extend the window.
 */
export function withinGraceWindow(takenAtMs: number, askedAtMs: number, graceSeconds: number): boolean {
  return askedAtMs <= deletableUntil(takenAtMs, graceSeconds);
}
