import {
  CreateTimeConditionBody,
  TimeConditionSchema,
  UpdateTimeConditionBody,
  type TimeCondition,
} from '@pbx/contracts';
import { Paper, Stack, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { paths } from '../api.js';
import {
  DestinationPicker,
  fromDraft,
  toDraft,
  useTargets,
  type DraftDestination,
} from '../ui/destination.js';
import { useFieldErrors } from '../ui/form.js';
import { FormFooter, ResourcePage } from '../ui/form-shell.js';
import { useResourceWrite } from '../ui/resource-write.js';
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
import { timeConditionList } from '../ui/tenant-lists.js';

export function TimeConditionPage() {
  const { tenantId = '', conditionId = '' } = useParams();
  return (
    <ResourcePage
      schema={TimeConditionSchema}
      url={`${paths.timeConditions(tenantId)}/${conditionId}`}
      queryKey={['time-condition', tenantId, conditionId]}
      id={conditionId}
      title={(c, isNew) => (isNew ? 'New time condition' : (c?.name ?? 'Time condition'))}
      back={{ to: `/t/${tenantId}/time-conditions`, label: 'All time conditions' }}
    >
      {(c) => <ConditionForm key={c?.id ?? 'new'} tenantId={tenantId} cond={c} />}
    </ResourcePage>
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
  const errors = useFieldErrors();
  const targets = useTargets(tenantId);
  const tenant = useTenant(tenantId);
  // The contract's words for a span that ends before it starts, said as a business owner would.
  const scheduleError = (f: string) => {
    const m = errors.of(f);
    return m && /startMinute must be before endMinute/i.test(m) ? 'Closes before it opens.' : m;
  };
  const known = [
    'name',
    ...destinationFields('match'),
    ...destinationFields('noMatch'),
    ...scheduleFields(ranges.length, holidays.length),
  ];

  const { save, remove, saved, setSaved } = useResourceWrite({
    schema: TimeConditionSchema,
    apiPath: paths.timeConditions(tenantId),
    existingId: cond?.id ?? null,
    listKey: timeConditionList.key(tenantId),
    itemKey: (id) => ['time-condition', tenantId, id],
    pagePath: `/t/${tenantId}/time-conditions`,
    onError: (error) => errors.show(error, known),
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
        <FormFooter
          error={errors.general}
          saved={saved}
          submitLabel={cond ? 'Save time condition' : 'Create time condition'}
          saving={save.isPending}
          remove={
            cond && {
              label: 'Delete',
              confirm: `Delete ${cond.name}?`,
              pending: remove.isPending,
              error: remove.error,
              run: () => remove.mutate(),
            }
          }
        />
      </Stack>
    </Paper>
  );
}
