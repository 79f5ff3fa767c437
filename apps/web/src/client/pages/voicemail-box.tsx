import {
  CreateVoicemailBoxBody,
  UpdateVoicemailBoxBody,
  VoicemailBoxSchema,
  type VoicemailBox,
} from '@pbx/contracts';
import { Alert, Group, NumberInput, Paper, Stack, Switch, TextInput } from '@mantine/core';
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
import { useDateFormat } from '../ui/dates.js';
import { useFieldErrors } from '../ui/form.js';
import { FormFooter, ResourcePage } from '../ui/form-shell.js';
import { useResourceWrite } from '../ui/resource-write.js';
import { destinationError, destinationFields } from '../ui/tenant.js';
import { VoicemailMessages } from '../ui/voicemail-messages.js';
import { VoicemailGreetings } from './voicemail-greetings.js';
import { boxList } from '../ui/tenant-lists.js';

export function VoicemailBoxPage() {
  const { tenantId = '', boxId = '' } = useParams();
  return (
    <ResourcePage
      schema={VoicemailBoxSchema}
      url={paths.box(tenantId, boxId)}
      queryKey={['box', tenantId, boxId]}
      id={boxId}
      title={(b, isNew) =>
        isNew ? 'New voicemail box' : b ? `Voicemail ${b.number} · ${b.name}` : 'Voicemail box'
      }
      back={{ to: `/t/${tenantId}/voicemail`, label: 'All boxes' }}
    >
      {(b) =>
        b ? (
          <>
            <VoicemailMessages tenantId={tenantId} boxId={b.id} />
            <BoxForm key={b.id} tenantId={tenantId} box={b} />
            <VoicemailGreetings tenantId={tenantId} box={b} />
          </>
        ) : (
          <BoxForm tenantId={tenantId} box={null} />
        )
      }
    </ResourcePage>
  );
}

const FIELDS = [
  'number',
  'name',
  'pin',
  'email',
  'maxMessages',
  'maxMessageSec',
  ...destinationFields('fallback'),
];

function BoxForm({ tenantId, box }: { tenantId: string; box: VoicemailBox | null }) {
  const [v, setV] = useState({
    number: box?.number ?? '',
    name: box?.name ?? '',
    pin: '',
    email: box?.email ?? '',
    attachAudio: box?.attachAudio ?? true,
    deleteAfterEmail: box?.deleteAfterEmail ?? false,
    maxMessages: box?.maxMessages ?? 100,
    maxMessageSec: box?.maxMessageSec ?? 300,
  });
  const [fallback, setFallback] = useState<DraftDestination>(
    box ? toDraft(box.fallback) : { type: 'HANGUP', value: '' },
  );
  const errors = useFieldErrors();
  const targets = useTargets(tenantId);
  const date = useDateFormat(tenantId);
  const set = <K extends keyof typeof v>(k: K, value: (typeof v)[K]) => setV((o) => ({ ...o, [k]: value }));

  const { save, remove, saved, setSaved } = useResourceWrite({
    schema: VoicemailBoxSchema,
    apiPath: paths.boxes(tenantId),
    existingId: box?.id ?? null,
    listKey: boxList.key(tenantId),
    itemKey: (id) => ['box', tenantId, id],
    pagePath: `/t/${tenantId}/voicemail`,
    onError: (e) => errors.show(e, FIELDS),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const body = errors.check(box ? UpdateVoicemailBoxBody : CreateVoicemailBoxBody, {
      ...v,
      // Left empty on an existing box: the PIN stays as it is.
      pin: v.pin === '' && box ? undefined : v.pin,
      email: v.email.trim() || null,
      fallback: fromDraft(fallback) ?? undefined,
    });
    if (body) save.mutate(body);
  };

  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-label="Voicemail box settings">
      <Stack>
        {box?.pinLock.locked && (
          <Alert color="red" title="PIN locked">
            Too many wrong PINs by phone; locked until{' '}
            {box.pinLock.lockedUntil ? date(box.pinLock.lockedUntil) : 'further notice'}. Setting a new PIN
            here lifts the lock.
          </Alert>
        )}
        <Group grow wrap="wrap">
          <TextInput
            label="Number"
            value={v.number}
            onChange={(e) => set('number', e.currentTarget.value)}
            error={errors.of('number')}
            miw={150}
          />
          <TextInput
            label="Name"
            value={v.name}
            onChange={(e) => set('name', e.currentTarget.value)}
            error={errors.of('name')}
            miw={150}
          />
        </Group>
        <Group grow wrap="wrap">
          <TextInput
            label={box ? 'New PIN (empty: keep the current one)' : 'PIN'}
            description="4 to 12 digits, for listening by phone"
            inputMode="numeric"
            autoComplete="off"
            value={v.pin}
            onChange={(e) => set('pin', e.currentTarget.value)}
            error={errors.of('pin')}
            miw={150}
          />
          <TextInput
            label="E-mail new messages to"
            type="email"
            placeholder="name@example.com"
            value={v.email}
            onChange={(e) => set('email', e.currentTarget.value)}
            error={errors.of('email')}
            miw={150}
          />
        </Group>
        <Switch
          label="Attach the recording to the e-mail"
          checked={v.attachAudio}
          onChange={(e) => set('attachAudio', e.currentTarget.checked)}
        />
        <Switch
          label="Delete the message once it is e-mailed"
          checked={v.deleteAfterEmail}
          onChange={(e) => set('deleteAfterEmail', e.currentTarget.checked)}
        />
        <Group grow wrap="wrap">
          <NumberInput
            label="Most messages kept"
            min={1}
            max={10000}
            value={v.maxMessages}
            onChange={(n) => set('maxMessages', typeof n === 'number' ? n : Number.NaN)}
            error={errors.of('maxMessages')}
            miw={150}
          />
          <NumberInput
            label="Longest message (seconds)"
            min={10}
            max={3600}
            value={v.maxMessageSec}
            onChange={(n) => set('maxMessageSec', typeof n === 'number' ? n : Number.NaN)}
            error={errors.of('maxMessageSec')}
            miw={150}
          />
        </Group>
        <DestinationPicker
          label="When the box is full, callers go to"
          value={fallback}
          onChange={setFallback}
          targets={targets}
          error={destinationError(errors.of, 'fallback')}
        />
        <FormFooter
          error={errors.general}
          saved={saved}
          submitLabel={box ? 'Save box' : 'Create box'}
          saving={save.isPending}
          remove={
            box && {
              label: 'Delete box',
              confirm: `Delete box ${box.number} and its messages?`,
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
