import { parseDate, type CalendarDate } from '@internationalized/date';
import {
  Button,
  Calendar,
  CalendarCell,
  CalendarGrid,
  DateInput,
  DatePicker,
  DateSegment,
  Dialog,
  FieldError,
  Group,
  Heading,
  Label,
  Popover,
  Text,
} from 'react-aria-components';

/** A React Aria date picker over ISO dates (YYYY-MM-DD): typed segment by segment or picked in a calendar. */
export function DateInputField(p: { label: string; value: string; max: string; onChange(date: string): void; error?: string | undefined; name?: string }) {
  const safe = (d: string): CalendarDate | null => {
    try {
      return parseDate(d);
    } catch {
      return null;
    }
  };
  return (
    <DatePicker
      className="field date-field"
      value={safe(p.value)}
      maxValue={safe(p.max)}
      onChange={(v) => v && p.onChange(v.toString())}
      isInvalid={Boolean(p.error)}
      {...(p.name ? { name: p.name } : {})}
    >
      <Label>{p.label}</Label>
      <Group className="date-group">
        <DateInput className="date-input">{(segment) => <DateSegment segment={segment} className="date-segment" />}</DateInput>
        <Button className="date-button" aria-label={`Pick ${p.label.toLowerCase()} in a calendar`}>
          ▾
        </Button>
      </Group>
      {p.error ? <Text slot="errorMessage" className="field-error">{p.error}</Text> : <FieldError className="field-error" />}
      <Popover className="popover calendar-popover">
        <Dialog className="calendar-dialog">
          <Calendar className="calendar">
            <header className="calendar-head">
              <Button slot="previous" className="button small" aria-label="Previous month">
                ←
              </Button>
              <Heading className="calendar-title" />
              <Button slot="next" className="button small" aria-label="Next month">
                →
              </Button>
            </header>
            <CalendarGrid className="calendar-grid">{(date) => <CalendarCell date={date} className="calendar-cell" />}</CalendarGrid>
          </Calendar>
        </Dialog>
      </Popover>
    </DatePicker>
  );
}
