import { CreateIvrMenuBody, IvrMenuSchema, UpdateIvrMenuBody, type IvrMenu } from '@pbx/contracts';
import {
  ActionIcon,
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
import { Explainer } from './ivr-explainer.js';
import { Greeting } from './ivr-greeting.js';
import { menuList } from '../ui/tenant-lists.js';

export function IvrMenuPage() {
  const { tenantId = '', menuId = '' } = useParams();
  return (
    <ResourcePage
      schema={IvrMenuSchema}
      url={paths.menu(tenantId, menuId)}
      queryKey={['menu', tenantId, menuId]}
      id={menuId}
      title={(m, isNew) => (isNew ? 'New IVR menu' : (m?.name ?? 'IVR menu'))}
      back={{ to: `/t/${tenantId}/ivr-menus`, label: 'All menus' }}
    >
      {(m) =>
        m ? (
          <>
            <MenuForm key={m.id} tenantId={tenantId} menu={m} />
            <Greeting tenantId={tenantId} menu={m} />
            <Explainer tenantId={tenantId} menu={m} />
          </>
        ) : (
          <>
            <Text size="sm">Once the menu is created, its greeting and “Try it” appear on this page.</Text>
            <MenuForm tenantId={tenantId} menu={null} />
          </>
        )
      }
    </ResourcePage>
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
  const errors = useFieldErrors();
  const targets = useTargets(tenantId);

  const { save, remove, saved, setSaved } = useResourceWrite({
    schema: IvrMenuSchema,
    apiPath: paths.menus(tenantId),
    existingId: menu?.id ?? null,
    listKey: menuList.key(tenantId),
    itemKey: (id) => ['menu', tenantId, id],
    pagePath: `/t/${tenantId}/ivr-menus`,
    onError: (error) => errors.show(error, known(rows.length)),
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
        <FormFooter
          error={errors.general}
          saved={saved}
          submitLabel={menu ? 'Save menu' : 'Create menu'}
          saving={save.isPending}
          remove={
            menu && {
              label: 'Delete menu',
              confirm: `Delete menu ${menu.name}?`,
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
