import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';

/**
 * The Jepsen-style log a test device keeps: `BEGIN <kind> <id>` before it starts recording
 * something, `ACK <kind> <id>` once the record is durable in the outbox. Each line is fsynced
 * before the step it announces, so a SIGKILL can cut a record short but never lie about one.
 */
export class DeviceJournal {
  private readonly fd: number;

  constructor(path: string) {
    this.fd = openSync(path, 'a');
  }

  begin(kind: 'shot' | 'op', id: string): void {
    this.line(`BEGIN ${kind} ${id}`);
  }

  ack(kind: 'shot' | 'op', id: string): void {
    this.line(`ACK ${kind} ${id}`);
  }

  close(): void {
    closeSync(this.fd);
  }

  private line(text: string): void {
    writeSync(this.fd, `${text}\n`);
    fsyncSync(this.fd);
  }
}

export interface JournalView {
  begun: Record<'shot' | 'op', Set<string>>;
  acked: Record<'shot' | 'op', Set<string>>;
}

/** Read a journal; a torn last line (killed mid-write) is ignored. */
export function readJournal(path: string): JournalView {
  const view: JournalView = { begun: { shot: new Set(), op: new Set() }, acked: { shot: new Set(), op: new Set() } };
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^(BEGIN|ACK) (shot|op) ([0-9a-f-]{36})$/.exec(line);
    if (!m) continue;
    (m[1] === 'BEGIN' ? view.begun : view.acked)[m[2] as 'shot' | 'op'].add(m[3]!);
  }
  return view;
}
