import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

/**
 * CPU time the main (UI) thread itself spends, from V8's sampling profiler. Unlike event-loop
 * delay, this does not count the time the OS gave the core to other threads or processes.
 */
export async function startMainThreadProfile() {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return {
    async stop(): Promise<{ busyMs: number; top: Array<{ name: string; ms: number }> }> {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      const nodes = new Map((profile.nodes as ProfileNode[]).map((n) => [n.id, n]));
      const self = new Map<string, number>();
      let busy = 0;
      profile.samples!.forEach((id, i) => {
        const name = nodes.get(id)!.callFrame.functionName || '(anonymous)';
        const us = profile.timeDeltas![i] ?? 0;
        if (name === '(idle)') return;
        busy += us;
        self.set(name, (self.get(name) ?? 0) + us);
      });
      const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([name, us]) => ({ name, ms: us / 1000 }));
      return { busyMs: busy / 1000, top };
    },
  };
}
