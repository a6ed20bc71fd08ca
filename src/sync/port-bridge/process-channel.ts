import type { PortMessage } from '../../shared/tracker-port-protocol';
import type { PortChannel } from './port-transport';

/** The MessagePort shape Electron hands a utilityProcess (MessagePortMain), without importing Electron. */
export interface MainPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
  off(event: 'message', listener: (e: { data: unknown }) => void): unknown;
  start(): void;
}

export function messagePortChannel(port: MainPortLike): PortChannel {
  port.start();
  return {
    post: (message: PortMessage) => port.postMessage(message),
    onMessage(listener) {
      const l = (e: { data: unknown }) => listener(e.data);
      port.on('message', l);
      return () => void port.off('message', l);
    },
  };
}

/** A child_process.fork child's IPC channel: the same message-shaped channel, for tests and tools. */
interface IpcLike {
  send?(message: unknown, handle?: undefined, options?: object, callback?: (err: Error | null) => void): boolean;
  connected?: boolean;
  on(event: 'message', listener: (m: unknown) => void): unknown;
  off(event: 'message', listener: (m: unknown) => void): unknown;
}

export function forkChannel(proc: IpcLike = process as IpcLike): PortChannel {
  if (!proc.send) throw new Error('this process has no IPC channel (start it with child_process.fork)');
  return {
    // After the other end is gone a post is dropped (a stopping core still emits its last events).
    post: (message) => {
      if (proc.connected !== false) proc.send!(message, undefined, {}, () => undefined);
    },
    onMessage(listener) {
      const l = (m: unknown) => listener(m);
      proc.on('message', l);
      return () => void proc.off('message', l);
    },
  };
}

interface ParentPortLike {
  once(event: 'message', listener: (e: { data: unknown; ports: MainPortLike[] }) => void): unknown;
}

/**
 * In an Electron utilityProcess: main sends one message carrying the MessagePort to use
 * (`{ kind: 'port' }` with ports[0]); resolves to that channel. Under child_process.fork: the IPC channel.
 */
export function channelFromParent(): Promise<PortChannel> {
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  if (!parentPort) return Promise.resolve(forkChannel());
  return new Promise((resolve) =>
    parentPort.once('message', (e) => {
      const port = e.ports[0];
      if (!port) throw new Error('main sent no MessagePort to the tracker core');
      resolve(messagePortChannel(port));
    }),
  );
}
