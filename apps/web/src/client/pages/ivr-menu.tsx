import { CreateIvrMenuBody, IvrMenuSchema, UpdateIvrMenuBody, type IvrMenu } from '@pbx/contracts';
import {
  ActionIcon,
  Anchor,
  Button,
  Group,
  NumberInput,
  Paper,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
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
import { Explainer } from './ivr-explainer.js';
import { Greeting } from './ivr-greeting.js';

export function IvrMenuPage() {
  const { tenantId = '', menuId = '' } = useParams();
  const isNew = menuId === 'new';
  const menu = useQuery({
    queryKey: ['menu', tenantId, menuId],
    queryFn: () => request(IvrMenuSchema, paths.menu(tenantId, menuId)),
    enabled: !isNew,
  });
  return (
    <Page title={isNew ? 'New IVR menu' : (menu.data?.name ?? 'IVR menu')}>
      <Anchor component={Link} to={`/t/${tenantId}/ivr-menus`}>
        ← All menus
      </Anchor>
      {isNew ? (
        <>
          <Text size="sm">Once the menu is created, its greeting and “Try it” appear on this page.</Text>
          <MenuForm tenantId={tenantId} menu={null} />
        </>
      ) : (
        <Loaded query={menu}>
          {(m) => (
            <>
              <MenuForm key={m.updatedAt} tenantId={tenantId} menu={m} />
              <Greeting tenantId={tenantId} menu={m} />
              <Explainer tenantId={tenantId} menu={m} />
            </>
          )}
        </Loaded>
      )}
    </Page>
  );
}

type Row = { key: number; digits: string; destination: DraftDestination };

function MenuForm({ tenantId, menu }: { tenantId: string; menu: IvrMenu | null }) {
  const [name, setName] = useState(menu?.name ?? '');
  const [number, setNumber] = useState(menu?.number ?? '');
  const [timeoutSec, setTimeoutSec] = useState(menu?.timeoutSec ?? 5);
  const [maxFailures, setMaxFailures] = useState(menu?.maxFailures ?? 3);
  const [directDial, setDirectDial] = useState(menu?.directDial ?? false);
  const [timeoutDestination, setTimeoutDestination] = useState<DraftDestination>(
    menu ? toDraft(menu.timeoutDestination) : { type: 'HANGUP', value: '' },
  );
  const [invalidDestination, setInvalidDestination] = useState<DraftDestination>(
    menu ? toDraft(menu.invalidDestination) : { type: 'HANGUP', value: '' },
  );
  const [rows, setRows] = useState<Row[]>(
    (menu?.options ?? []).map((o, i) => ({ key: i, digits: o.digits, destination: toDraft(o.destination) })),
  );
  const [saved, setSaved] = useState(false);
  const errors = useFieldErrors();
  const targets = useTargets(tenantId);
  const queries = useQueryClient();
  const navigate = useNavigate();

  const save = useMutation({
    mutationFn: (body: unknown) =>
      menu
        ? request(IvrMenuSchema, paths.menu(tenantId, menu.id), { method: 'PATCH', body })
        : request(IvrMenuSchema, paths.menus(tenantId), { method: 'POST', body }),
    onSuccess: async (m) => {
      setSaved(true);
      await queries.invalidateQueries({ queryKey: ['menus', tenantId] });
      await queries.invalidateQueries({ queryKey: ['menu', tenantId, m.id] });
      if (!menu) await navigate(`/t/${tenantId}/ivr-menus/${m.id}`);
    },
    onError: (error) => errors.show(error, known(rows.length)),
  });
  const remove = useMutation({
    mutationFn: () => call(paths.menu(tenantId, menu?.id ?? ''), { method: 'DELETE' }),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ['menus', tenantId] });
      await navigate(`/t/${tenantId}/ivr-menus`);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const body = errors.check(menu ? UpdateIvrMenuBody : CreateIvrMenuBody, {
      name,
      number: number.trim() || null,
      timeoutSec,
      maxFailures,
      directDial,
      timeoutDestination: fromDraft(timeoutDestination) ?? undefined,
      invalidDestination: fromDraft(invalidDestination) ?? undefined,
      options: rows.map((r) => ({ digits: r.digits, destination: fromDraft(r.destination) })),
    });
    if (body) save.mutate(body);
  };
  const setRow = (key: number, patch: Partial<Row>) =>
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const err = (f: string) => errors.of(`${f}.value`) ?? errors.of(`${f}.type`) ?? errors.of(f);

  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-label="Menu">
      <Stack>
        <Group grow wrap="wrap">
          <TextInput
            label="Name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.of('name')}
            miw={180}
          />
          <TextInput
            label="Number (optional)"
            description="To reach the menu from a phone"
            value={number}
            onChange={(e) => setNumber(e.currentTarget.value)}
            error={errors.of('number')}
            miw={180}
          />
        </Group>
        <Title order={2} size="h4">
          Options
        </Title>
        {rows.length === 0 && <Text size="sm">No options yet: callers go where “no key pressed” leads.</Text>}
        {rows.map((r, i) => (
          <Group key={r.key} align="flex-start" wrap="wrap" gap="xs" data-testid="ivr-option">
            <TextInput
              label={`Option ${i + 1}: key`}
              w={110}
              value={r.digits}
              onChange={(e) => setRow(r.key, { digits: e.currentTarget.value })}
              error={errors.of(`options.${i}.digits`)}
            />
            <div style={{ flex: 1, minWidth: 200 }}>
              <DestinationPicker
                label={`Key ${r.digits || i + 1} goes to`}
                value={r.destination}
                onChange={(d) => setRow(r.key, { destination: d })}
                targets={targets}
                error={err(`options.${i}.destination`)}
              />
            </div>
            <ActionIcon
              variant="default"
              mt={28}
              aria-label={`Remove option ${r.digits || i + 1}`}
              onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
            >
              ✕
            </ActionIcon>
          </Group>
        ))}
        <Button
          variant="default"
          w="fit-content"
          onClick={() =>
            setRows((rs) => [
              ...rs,
              {
                key: Math.max(0, ...rs.map((x) => x.key)) + 1,
                digits: String(rs.length + 1),
                destination: { type: 'EXTENSION', value: '' },
              },
            ])
          }
        >
          Add option
        </Button>
        <Title order={2} size="h4">
          When the caller does nothing or presses a wrong key
        </Title>
        <Group grow wrap="wrap">
          <NumberInput
            label="Wait for a key (seconds)"
            min={1}
            max={60}
            value={timeoutSec}
            onChange={(n) => setTimeoutSec(Number(n) || 0)}
            error={errors.of('timeoutSec')}
            miw={150}
          />
          <NumberInput
            label="Tries before giving up"
            min={1}
            max={10}
            value={maxFailures}
            onChange={(n) => setMaxFailures(Number(n) || 0)}
            error={errors.of('maxFailures')}
            miw={150}
          />
        </Group>
        <DestinationPicker
          label="No key pressed"
          value={timeoutDestination}
          onChange={setTimeoutDestination}
          targets={targets}
          error={err('timeoutDestination')}
        />
        <DestinationPicker
          label="Wrong key"
          value={invalidDestination}
          onChange={setInvalidDestination}
          targets={targets}
          error={err('invalidDestination')}
        />
        <Switch
          label="Callers may dial an extension number directly"
          checked={directDial}
          onChange={(e) => setDirectDial(e.currentTarget.checked)}
        />
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
            {menu ? 'Save menu' : 'Create menu'}
          </Button>
          {menu && (
            <Button
              color="red"
              variant="outline"
              loading={remove.isPending}
              onClick={() => window.confirm(`Delete menu ${menu.name}?`) && remove.mutate()}
            >
              Delete menu
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

function known(options: number): string[] {
  const out = ['name', 'number', 'timeoutSec', 'maxFailures'];
  for (const f of ['timeoutDestination', 'invalidDestination']) out.push(f, `${f}.value`, `${f}.type`);
  for (let i = 0; i < options; i++)
    out.push(
      `options.${i}.digits`,
      `options.${i}.destination`,
      `options.${i}.destination.value`,
      `options.${i}.destination.type`,
    );
  return out;
}
