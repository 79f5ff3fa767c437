import { CdrFilterQuery, CdrPage } from '@pbx/contracts';
import { Alert, Button, Group, Paper, Select, Stack, TextInput } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { errorText, fetchBlob, paths, request } from '../api.js';
import { dayStartIn, useTenantZone } from '../ui/dates.js';
import { useFieldErrors } from '../ui/form.js';
import { Page } from '../ui/page.js';
import { CdrTable } from './call-history-table.js';

const PAGE = 50;
const FILTERS = ['from', 'to', 'direction', 'extension', 'number', 'answered'] as const;

/** Call history: filters live in the URL, so a filtered list can be reloaded or shared; CSV of the same filter. */
export function CallHistoryPage() {
  const tenantId = useParams().tenantId ?? '';
  const [search, setSearch] = useSearchParams();
  const [draft, setDraft] = useState(() => Object.fromEntries(FILTERS.map((f) => [f, search.get(f) ?? ''])));
  const errors = useFieldErrors();
  const offset = Number(search.get('offset') ?? 0) || 0;
  // The days of the filter are the tenant's: a day starts at midnight on its clock.
  const zone = useTenantZone(tenantId);
  const dayStart = (day: string, plus = 0) => dayStartIn(day, zone, plus);

  // The API's filter: days become instants (to is exclusive: the day after), empty fields are left out.
  const query = new URLSearchParams();
  for (const f of FILTERS) {
    const v = search.get(f);
    if (!v) continue;
    query.set(f, f === 'from' ? dayStart(v) : f === 'to' ? dayStart(v, 1) : v);
  }
  const list = useQuery({
    queryKey: ['cdrs', tenantId, query.toString(), offset],
    queryFn: () => request(CdrPage, `${paths.cdrs(tenantId)}?${query}&limit=${PAGE}&offset=${offset}`),
    placeholderData: keepPreviousData,
    // A day filter read before the tenant's zone is known would ask for the wrong hours.
    enabled: zone !== undefined || !(search.get('from') || search.get('to')),
  });
  useEffect(() => {
    if (list.error) errors.show(list.error, [...FILTERS]);
    // Shown once per new error (the field helpers change identity on each render).
  }, [list.error]);

  const [playing, setPlaying] = useState<{ id: string; url: string } | null>(null);
  useEffect(() => () => void (playing && URL.revokeObjectURL(playing.url)), [playing]);
  const play = useMutation({
    mutationFn: async (recordingId: string) => ({
      id: recordingId,
      url: URL.createObjectURL(await fetchBlob(`${paths.recordings(tenantId)}/${recordingId}/audio`)),
    }),
    onSuccess: setPlaying,
  });

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const set = Object.fromEntries(Object.entries(draft).filter(([, v]) => v.trim() !== ''));
    const checked = errors.check(CdrFilterQuery, {
      ...set,
      ...(set.from ? { from: dayStart(set.from) } : {}),
      ...(set.to ? { to: dayStart(set.to, 1) } : {}),
    });
    if (checked) setSearch(new URLSearchParams(set));
  };
  const set = (f: string) => (value: string | null) => setDraft((d) => ({ ...d, [f]: value ?? '' }));

  return (
    <Page
      title="Call history"
      actions={
        <Button
          component="a"
          href={`${paths.cdrs(tenantId)}/export.csv?${query}`}
          download="calls.csv"
          variant="default"
        >
          Export CSV
        </Button>
      }
    >
      <Paper withBorder p="md" component="form" onSubmit={apply} aria-label="Filter calls">
        <Stack gap="xs">
          <Group grow wrap="wrap" align="flex-start">
            <TextInput
              type="date"
              label="From (day)"
              value={draft.from ?? ''}
              onChange={(e) => set('from')(e.currentTarget.value)}
              error={errors.of('from')}
              miw={150}
            />
            <TextInput
              type="date"
              label="To (day, included)"
              value={draft.to ?? ''}
              onChange={(e) => set('to')(e.currentTarget.value)}
              error={errors.of('to')}
              miw={150}
            />
            <Select
              label="Direction"
              data={[
                { value: '', label: 'All' },
                { value: 'INBOUND', label: 'Incoming' },
                { value: 'OUTBOUND', label: 'Outgoing' },
                { value: 'INTERNAL', label: 'Internal' },
              ]}
              value={draft.direction ?? ''}
              onChange={set('direction')}
              allowDeselect={false}
              miw={150}
            />
          </Group>
          <Group grow wrap="wrap" align="flex-start">
            <TextInput
              label="Extension"
              placeholder="1001"
              value={draft.extension ?? ''}
              onChange={(e) => set('extension')(e.currentTarget.value)}
              error={errors.of('extension')}
              miw={150}
            />
            <TextInput
              label="Phone number contains"
              placeholder="+4930"
              value={draft.number ?? ''}
              onChange={(e) => set('number')(e.currentTarget.value)}
              error={errors.of('number')}
              miw={150}
            />
            <Select
              label="Answered"
              data={[
                { value: '', label: 'All calls' },
                { value: 'true', label: 'Answered' },
                { value: 'false', label: 'Missed' },
              ]}
              value={draft.answered ?? ''}
              onChange={set('answered')}
              allowDeselect={false}
              miw={150}
            />
          </Group>
          <Group>
            <Button type="submit">Show calls</Button>
            <Button
              variant="subtle"
              onClick={() => {
                setDraft(Object.fromEntries(FILTERS.map((f) => [f, ''])));
                setSearch(new URLSearchParams());
              }}
            >
              Clear filters
            </Button>
          </Group>
        </Stack>
      </Paper>
      {errors.general && (
        <Alert color="red" role="alert">
          {errors.general}
        </Alert>
      )}
      <CdrTable
        query={list}
        offset={offset}
        pageSize={PAGE}
        onOffset={(o) => {
          const next = new URLSearchParams(search);
          next.set('offset', String(o));
          setSearch(next);
        }}
        onPlay={(id) => play.mutate(id)}
        playing={playing}
      />
      {play.error && (
        <Alert color="red" role="alert">
          {errorText(play.error)}
        </Alert>
      )}
    </Page>
  );
}
