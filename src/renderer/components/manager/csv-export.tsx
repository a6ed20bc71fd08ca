import { useState } from 'react';
import { Button, Checkbox, Form, Label, Radio, RadioGroup } from 'react-aria-components';
import { weekOf } from '../../../shared/rules/zoned-day';
import type { ExportState } from '../../stores/manager.store';
import { DateInputField } from './date-input';

type GroupBy = 'day' | 'project' | 'user';

/** Hands the CSV to the browser as a download (a blob: URL, revoked once the click has it). */
export function saveCsv(filename: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The summary of a chosen range as a CSV file: by day, project or person; one member or the whole team. */
export function CsvExport(p: { date: string; today: string; memberName: string | null; state: ExportState; onExport(range: { from: string; to: string; groupBy: GroupBy; onlyMember: boolean }): void }) {
  const week = weekOf(p.date);
  const [from, setFrom] = useState(week.from);
  const [to, setTo] = useState(week.to > p.today ? p.today : week.to);
  const [groupBy, setGroupBy] = useState<GroupBy>('day');
  const [onlyMember, setOnlyMember] = useState(true);
  return (
    <section className="card team-card" aria-labelledby="export-title">
      <h2 id="export-title">Export CSV</h2>
      <Form
        className="export-form"
        onSubmit={(e) => {
          e.preventDefault();
          p.onExport({ from, to, groupBy, onlyMember });
        }}
      >
        <div className="export-range">
          <DateInputField label="From" value={from} max={p.today} onChange={setFrom} error={p.state.fieldErrors.from} />
          <DateInputField label="To" value={to} max={p.today} onChange={setTo} error={p.state.fieldErrors.to} />
        </div>
        <RadioGroup className="radio-group" value={groupBy} onChange={(v) => setGroupBy(v as GroupBy)} orientation="horizontal">
          <Label>Rows per</Label>
          <Radio value="day" className="radio">
            day
          </Radio>
          <Radio value="project" className="radio">
            project
          </Radio>
          <Radio value="user" className="radio">
            person
          </Radio>
        </RadioGroup>
        {p.memberName && (
          <Checkbox className="checkbox" isSelected={onlyMember} onChange={setOnlyMember}>
            <span className="checkbox-box" aria-hidden="true">
              {onlyMember ? '✓' : ''}
            </span>
            Only {p.memberName}
          </Checkbox>
        )}
        <Button type="submit" className="button primary" isDisabled={p.state.busy}>
          {p.state.busy ? 'Exporting…' : 'Export CSV'}
        </Button>
        <div aria-live="polite">
          {p.state.error && <p className="error">{p.state.error}</p>}
          {p.state.done && (
            <p className="muted">
              Saved {p.state.done.filename}: {p.state.done.rows} {p.state.done.rows === 1 ? 'row' : 'rows'}
            </p>
          )}
        </div>
      </Form>
    </section>
  );
}
