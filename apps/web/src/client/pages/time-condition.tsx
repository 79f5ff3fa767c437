import {
  CreateTimeConditionBody,
  TimeConditionSchema,
  UpdateTimeConditionBody,
  type TimeCondition,
} from '@pbx/contracts';
import { Anchor, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { call, errorText, paths, request } from '../api.js';
import {
  DestinationPicker,
  fromDraft,
  toDraft,
  useTargets,
  type DraftDestination,
} from '../ui/destination.js';
import { useFieldErrors } from '../ui/form.js';
import { Loaded, Page } from '../ui/page.js';
import { destinationError, destinationFields, useTenant } from '../ui/tenant.js';
import {
  HolidayEditor,
  WeeklyEditor,
  clock,
  minutes,
  scheduleFields,
  type HolidayRow,
  type RangeRow,
} from './time-condition-schedule.js';

export function TimeConditionPage() {
  const { tenantId = '', conditionId = '' } = useParams();
  const isNew = conditionId === 'new';
  const cond = useQuery({
    queryKey: ['time-condition', tenantId, conditionId],
    queryFn: () => request(TimeConditionSchema, `${paths.timeConditions(tenantId)}/${conditionId}`),
    enabled: !isNew,
  });
  return (
    <Page title={isNew ? 'New time condition' : (cond.data?.name ?? 'Time condition')}>
      <Anchor component={Link} to={`/t/${tenantId}/time-conditions`}>
        ← All time conditions
      </Anchor>
      {isNew ? (
        <ConditionForm tenantId={tenantId} cond={null} />
      ) : (
        <Loaded query={cond}>
          {(c) => <ConditionForm key={c.updatedAt} tenantId={tenantId} cond={c} />}
        </Loaded>
      )}
    </Page>
  );
}

function ConditionForm({ tenantId, cond }: { tenantId: string; cond: TimeCondition | null }) {
  const [name, setName] = useState(cond?.name ?? '');
  const [match, setMatch] = useState<DraftDestination>(
    cond ? toDraft(cond.match) : { type: 'EXTENSION', value: '' },
  );
  const [noMatch, setNoMatch] = useState<DraftDestination>(
    cond ? toDraft(cond.noMatch) : { type: 'VOICEMAIL', value: '' },
  );
  const [ranges, setRanges] = useState<RangeRow[]>(
    (cond?.ranges ?? []).map((r, i) => ({
      key: i + 1,
      dayOfWeek: r.dayOfWeek,
      start: clock(r.startMinute),
      end: clock(r.endMinute % 1440),
    })),
  );
  const [holidays, setHolidays] = useState<HolidayRow[]>(
    (cond?.holidays ?? []).map((h, i) => ({ key: i + 1, date: h.date, name: h.name })),
  );
  const [saved, setSaved] = useState(false);
  const errors = useFieldErrors();
  const targets = useTargets(tenantId);
  const tenant = useTenant(tenantId);
  const queries = useQueryClient();
  const navigate = useNavigate();
  // The contract's words for a span that ends before it starts, said as a business owner would.
  const scheduleError = (f: string) => {
    const m = errors.of(f);
    return m && /startMinute must be before endMinute/i.test(m) ? 'Closes before it opens.' : m;
  };
  const url = cond ? `${paths.timeConditions(tenantId)}/${cond.id}` : paths.timeConditions(tenantId);
  const known = [
    'name',
    ...destinationFields('match'),
    ...destinationFields('noMatch'),
    ...scheduleFields(ranges.length, holidays.length),
  ];

  const save = useMutation({
    mutationFn: (body: unknown) =>
      request(TimeConditionSchema, url, { method: cond ? 'PATCH' : 'POST', body }),
    onSuccess: async (c) => {
      setSaved(true);
      await queries.invalidateQueries({ queryKey: ['time-conditions', tenantId] });
      await queries.invalidateQueries({ queryKey: ['time-condition', tenantId, c.id] });
      if (!cond) await navigate(`/t/${tenantId}/time-conditions/${c.id}`);
    },
    onError: (error) => errors.show(error, known),
  });
  const remove = useMutation({
    mutationFn: () => call(url, { method: 'DELETE' }),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ['time-conditions', tenantId] });
      await navigate(`/t/${tenantId}/time-conditions`);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const body = errors.check(cond ? UpdateTimeConditionBody : CreateTimeConditionBody, {
      name,
      match: fromDraft(match) ?? undefined,
      noMatch: fromDraft(noMatch) ?? undefined,
      ranges: ranges.map((r) => ({
        dayOfWeek: r.dayOfWeek,
        startMinute: minutes(r.start, false),
        endMinute: minutes(r.end, true),
      })),
      holidays: holidays.map((h) => ({ date: h.date, name: h.name })),
    });
    if (body) save.mutate(body);
  };

  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-label="Time condition">
      <Stack>
        <TextInput
          label="Name"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={errors.of('name')}
        />
        <DestinationPicker
          label="While open, calls go to"
          value={match}
          onChange={setMatch}
          targets={targets}
          error={destinationError(errors.of, 'match')}
        />
        <DestinationPicker
          label="While closed, calls go to"
          value={noMatch}
          onChange={setNoMatch}
          targets={targets}
          error={destinationError(errors.of, 'noMatch')}
        />
        <Title order={2} size="h4">
          Open hours
        </Title>
        <WeeklyEditor
          rows={ranges}
          onChange={setRanges}
          errorOf={scheduleError}
          timeZone={tenant.data?.timeZone ?? '…'}
        />
        <Title order={2} size="h4">
          Holidays (closed all day)
        </Title>
        <HolidayEditor rows={holidays} onChange={setHolidays} errorOf={errors.of} />
        {errors.general && (
          <Text c="red" role="alert">
            {errors.general}
          </Text>
        )}
        {saved && (
          <Text c="green" role="status">
            Saved.
          </Text>
        )}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {cond ? 'Save time condition' : 'Create time condition'}
          </Button>
          {cond && (
            <Button
              color="red"
              variant="outline"
              loading={remove.isPending}
              onClick={() => window.confirm(`Delete ${cond.name}?`) && remove.mutate()}
            >
              Delete
            </Button>
          )}
        </Group>
        {remove.error && (
          <Text c="red" role="alert">
            {errorText(remove.error)}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
