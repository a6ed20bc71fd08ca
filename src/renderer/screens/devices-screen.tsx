import { useCallback, useEffect, useState } from 'react';
import { Button, Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components';
import type { FleetDevice, FleetResponse } from '../../shared/http/fleet';
import { useApp, useNow } from '../app-context';
import { describeError } from '../stores/errors';
import '../styles/managed.css';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** "4 min", "3 h 20 min", "2 days": how long ago, for a person scanning a list. */
export function ageInWords(ms: number): string {
  if (ms < MIN) return 'under a minute';
  if (ms < HOUR) return `${Math.floor(ms / MIN)} min`;
  if (ms < 48 * HOUR) return `${Math.floor(ms / HOUR)} h${Math.floor((ms % HOUR) / MIN) ? ` ${Math.floor((ms % HOUR) / MIN)} min` : ''}`;
  return `${Math.floor(ms / (24 * HOUR))} days`;
}

/** Unsynced work older than a working day is what IT must chase. */
const ageTone = (ms: number) => (ms > 24 * HOUR ? 'danger' : ms > 4 * HOUR ? 'warn' : 'ok');

const platformName = (p: string) => ({ win32: 'Windows', darwin: 'macOS', linux: 'Linux' })[p] ?? `${p} platform`;
const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function Waiting({ d, now }: { d: FleetDevice; now: number }) {
  if (!d.queue) return <span className="muted">—</span>;
  if (!d.queue.oldestUnsyncedAt) return <span className="pill tone-ok">all synced</span>;
  const age = now - Date.parse(d.queue.oldestUnsyncedAt);
  return <span className={`pill tone-${ageTone(age)}`}>oldest {ageInWords(age)} old</span>;
}

export function DevicesScreen() {
  const { api } = useApp();
  const now = useNow(30_000);
  const [fleet, setFleet] = useState<FleetResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(async () => {
    setBusy(true);
    try {
      setFleet(await api['fleet.list']({}));
      setError(null);
    } catch (e) {
      setError(describeError(e).message);
    } finally {
      setBusy(false);
    }
  }, [api]);
  useEffect(() => void load(), [load]);

  const refresh = (
    <Button className="button small" onPress={() => void load()} isDisabled={busy}>
      {busy ? 'Refreshing…' : 'Refresh'}
    </Button>
  );
  if (!fleet)
    return error ? (
      <section className="card stack">
        <p className="error" role="alert">
          Could not load the devices: {error}
        </p>
        <div>{refresh}</div>
      </section>
    ) : (
      <p className="loading">Loading the devices…</p>
    );
  const devices = fleet.devices;
  const active = devices.filter((d) => !d.revokedAt);
  const holding = active.filter((d) => d.queue?.oldestUnsyncedAt);
  const dead = active.filter((d) => (d.queue?.deadLetters ?? 0) > 0);
  const policy = active.filter((d) => d.policyError);
  return (
    <section className="card">
      <div className="fleet-head">
        <p className="hint">What each device said in its last sync, as of {new Date(fleet.generatedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}.</p>
        {refresh}
      </div>
      {error && (
        <p className="error fleet-refresh-error" role="alert">
          Could not refresh: {error}
        </p>
      )}
      {devices.length === 0 ? (
        <p className="empty">No devices yet. A device appears here once someone signs in on it or it is enrolled.</p>
      ) : (
        <>
          <p className="fleet-summary">
            <span><strong>{active.length}</strong>devices</span>
            <span><strong>{holding.length}</strong>holding unsynced work</span>
            <span><strong>{dead.length}</strong>with records the server refused</span>
            <span><strong>{policy.length}</strong>with a policy file problem</span>
          </p>
          <div className="fleet-scroll">
            <Table aria-label="Devices" className="fleet">
              <TableHeader>
                <Column isRowHeader>Device</Column>
                <Column>Person</Column>
                <Column>Waiting on the device</Column>
                <Column className="num">Refused</Column>
                <Column>Policy file</Column>
              </TableHeader>
              <TableBody items={devices}>
                {(d) => (
                  <Row id={d.id} className="fleet-row">
                    <Cell>
                      <span className="fleet-device">{d.name}</span>
                      <span className="fleet-sub">
                        {platformName(d.platform)}
                        {d.appVersion ? ` · ${d.appVersion}` : ''}
                        {d.revokedAt ? ' · revoked' : ''}
                      </span>
                      <span className="fleet-sub">{d.lastSeenAt ? `seen ${ageInWords(now - Date.parse(d.lastSeenAt))} ago` : 'never seen'}</span>
                    </Cell>
                    <Cell>
                      {d.user.name}
                      <span className="fleet-sub">{d.user.email}</span>
                    </Cell>
                    <Cell>
                      {d.queue ? (
                        <>
                          <span className="nowrap">{plural(d.queue.screenshots, 'screenshot')},</span> <span className="nowrap">{plural(d.queue.ops, 'record')}</span>
                          <span className="fleet-sub">
                            <Waiting d={d} now={now} />
                          </span>
                        </>
                      ) : (
                        <span className="muted">not reported (an older version)</span>
                      )}
                    </Cell>
                    <Cell className="num">{!d.queue ? '—' : d.queue.deadLetters > 0 ? <span className="pill tone-danger">{d.queue.deadLetters}</span> : '0'}</Cell>
                    <Cell>{d.policyError ? <span className="fleet-error">{d.policyError}</span> : <span className="muted">{d.queue ? 'no problem reported' : '—'}</span>}</Cell>
                  </Row>
                )}
              </TableBody>
            </Table>
          </div>
        </>
      )}
    </section>
  );
}
