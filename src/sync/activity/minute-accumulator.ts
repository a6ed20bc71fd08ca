/** One sample per second: was there input in it, was the timer running, which app was in front. */
export interface SecondSample {
  at: number;
  active: boolean;
  tracked: boolean;
  app: string | null;
  title: string | null;
}

export interface MinuteActivity {
  minuteStart: number;
  activeSeconds: number;
  trackedSeconds: number;
  apps: Array<{ app: string; title?: string; seconds: number }>;
}

export const minuteOf = (at: number) => Math.floor(at / 60_000) * 60_000;

/**
 * Folds per-second samples into per-minute activity (ActivityWatch-style pure merge).
 * A second is counted once however many samples land in it (timer jitter), so a minute
 * never holds more than 60 seconds. Only active-or-not is kept: never what was typed.
 */
export function createMinuteAccumulator(maxApps = 10) {
  let minute: number | null = null;
  const seconds = new Map<number, SecondSample>();

  const finish = (): MinuteActivity | null => {
    if (minute === null || seconds.size === 0) return null;
    const apps = new Map<string, { app: string; title?: string; seconds: number }>();
    let active = 0;
    let tracked = 0;
    for (const s of seconds.values()) {
      // Activity % is active tracked seconds / tracked seconds: input while the timer is off does not count.
      if (s.active && s.tracked) active++;
      if (s.tracked) tracked++;
      if (s.tracked && s.app) {
        const key = `${s.app}\u0000${s.title ?? ''}`;
        const a = apps.get(key) ?? { app: s.app, ...(s.title ? { title: s.title } : {}), seconds: 0 };
        a.seconds++;
        apps.set(key, a);
      }
    }
    const top = [...apps.values()].sort((a, b) => b.seconds - a.seconds).slice(0, maxApps);
    return { minuteStart: minute, activeSeconds: active, trackedSeconds: tracked, apps: top };
  };

  return {
    /** Adds a sample; returns the previous minute when this sample starts a new one. */
    add(s: SecondSample): MinuteActivity | null {
      const m = minuteOf(s.at);
      let done: MinuteActivity | null = null;
      if (minute !== null && m !== minute) {
        done = finish();
        seconds.clear();
      }
      minute = m;
      const sec = Math.floor(s.at / 1000);
      const prev = seconds.get(sec);
      seconds.set(sec, prev ? { ...s, active: prev.active || s.active, tracked: prev.tracked || s.tracked } : s);
      return done;
    },
    /** The minute in progress (for status), without closing it. */
    peek: (): MinuteActivity | null => finish(),
    /** Closes the minute in progress (stop, shutdown). */
    flush(): MinuteActivity | null {
      const done = finish();
      seconds.clear();
      minute = null;
      return done;
    },
  };
}
