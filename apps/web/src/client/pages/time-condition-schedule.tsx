import { ActionIcon, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';

export const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Minutes since midnight as "09:30"; 1440 is the end of the day, "24:00". */
export const clock = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** "09:30" → 570; "00:00" as an end time means midnight at the end of the day (1440). NaN when not a time. */
export function minutes(text: string, end: boolean): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return Number.NaN;
  const value = Number(m[1]) * 60 + Number(m[2]);
  return end && value === 0 ? 1440 : value;
}

export type RangeRow = { key: number; dayOfWeek: number; start: string; end: string };
export type HolidayRow = { key: number; date: string; name: string };

const nextKey = (rows: { key: number }[]) => Math.max(0, ...rows.map((r) => r.key)) + 1;

/** The weekly open hours: one row per day and time span, in the tenant's time zone. */
export function WeeklyEditor({
  rows,
  onChange,
  errorOf,
  timeZone,
}: {
  rows: RangeRow[];
  onChange: (rows: RangeRow[]) => void;
  errorOf: (field: string) => string | undefined;
  timeZone: string;
}) {
  const set = (key: number, patch: Partial<RangeRow>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const weekdays = () =>
    onChange([1, 2, 3, 4, 5].map((d, i) => ({ key: i + 1, dayOfWeek: d, start: '09:00', end: '17:00' })));
  return (
    <Stack gap="xs" aria-label="Open hours" component="section">
      <Text size="sm">
        Times are in the tenant’s time zone, <strong>{timeZone}</strong>. An end of 00:00 means midnight.
      </Text>
      {rows.length === 0 && <Text size="sm">No open hours: calls always go where “closed” leads.</Text>}
      {rows.map((r, i) => (
        <Group key={r.key} align="flex-start" gap="xs" wrap="wrap" data-testid="open-hours">
          <Select
            label={`Day ${i + 1}`}
            data={DAYS.map((d, n) => ({ value: String(n), label: d }))}
            value={String(r.dayOfWeek)}
            onChange={(v) => v !== null && set(r.key, { dayOfWeek: Number(v) })}
            allowDeselect={false}
            error={errorOf(`ranges.${i}.dayOfWeek`)}
            w={150}
          />
          <TextInput
            type="time"
            label={`Day ${i + 1} opens`}
            value={r.start}
            onChange={(e) => set(r.key, { start: e.currentTarget.value })}
            error={errorOf(`ranges.${i}.startMinute`)}
            w={120}
          />
          <TextInput
            type="time"
            label={`Day ${i + 1} closes`}
            value={r.end}
            onChange={(e) => set(r.key, { end: e.currentTarget.value })}
            error={errorOf(`ranges.${i}.endMinute`)}
            w={120}
          />
          <ActionIcon
            variant="default"
            mt={28}
            aria-label={`Remove day ${i + 1}`}
            onClick={() => onChange(rows.filter((x) => x.key !== r.key))}
          >
            ✕
          </ActionIcon>
        </Group>
      ))}
      <Group gap="xs">
        <Button
          variant="default"
          onClick={() =>
            onChange([...rows, { key: nextKey(rows), dayOfWeek: 1, start: '09:00', end: '17:00' }])
          }
        >
          Add open hours
        </Button>
        <Button variant="subtle" onClick={weekdays}>
          Monday to Friday, 9 to 5
        </Button>
      </Group>
    </Stack>
  );
}

/** Whole days on which the condition never matches (the office is closed). */
export function HolidayEditor({
  rows,
  onChange,
  errorOf,
}: {
  rows: HolidayRow[];
  onChange: (rows: HolidayRow[]) => void;
  errorOf: (field: string) => string | undefined;
}) {
  const set = (key: number, patch: Partial<HolidayRow>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <Stack gap="xs" aria-label="Holidays" component="section">
      {rows.length === 0 && <Text size="sm">No holidays.</Text>}
      {rows.map((r, i) => (
        <Group key={r.key} align="flex-start" gap="xs" wrap="wrap" data-testid="holiday">
          <TextInput
            type="date"
            label={`Holiday ${i + 1} date`}
            value={r.date}
            onChange={(e) => set(r.key, { date: e.currentTarget.value })}
            error={errorOf(`holidays.${i}.date`)}
            w={170}
          />
          <TextInput
            label={`Holiday ${i + 1} name`}
            value={r.name}
            onChange={(e) => set(r.key, { name: e.currentTarget.value })}
            error={errorOf(`holidays.${i}.name`)}
            w={180}
          />
          <ActionIcon
            variant="default"
            mt={28}
            aria-label={`Remove holiday ${i + 1}`}
            onClick={() => onChange(rows.filter((x) => x.key !== r.key))}
          >
            ✕
          </ActionIcon>
        </Group>
      ))}
      <Button
        variant="default"
        w="fit-content"
        onClick={() => onChange([...rows, { key: nextKey(rows), date: '', name: '' }])}
      >
        Add holiday
      </Button>
    </Stack>
  );
}

/** Every field name the schedule's errors may use, so the form shows them at the row. */
export function scheduleFields(ranges: number, holidays: number): string[] {
  const out: string[] = ['ranges', 'holidays'];
  for (let i = 0; i < ranges; i++)
    out.push(`ranges.${i}.dayOfWeek`, `ranges.${i}.startMinute`, `ranges.${i}.endMinute`);
  for (let i = 0; i < holidays; i++) out.push(`holidays.${i}.date`, `holidays.${i}.name`);
  return out;
}
