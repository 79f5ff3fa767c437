import { CreateRingGroupBody, RingGroupSchema, UpdateRingGroupBody, type RingGroup } from '@pbx/contracts';
import {
  ActionIcon,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
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
import { destinationError, destinationFields } from '../ui/tenant.js';
import { ringGroupList } from '../ui/tenant-lists.js';

export function RingGroupPage() {
  const { tenantId = '', groupId = '' } = useParams();
  return (
    <ResourcePage
      schema={RingGroupSchema}
      url={`${paths.ringGroups(tenantId)}/${groupId}`}
      queryKey={['ring-group', tenantId, groupId]}
      id={groupId}
      title={(g, isNew) => (isNew ? 'New ring group' : (g?.name ?? 'Ring group'))}
      back={{ to: `/t/${tenantId}/ring-groups`, label: 'All ring groups' }}
    >
      {(g) => <GroupForm key={g?.id ?? 'new'} tenantId={tenantId} group={g} />}
    </ResourcePage>
  );
}

type Member = { key: number; extensionId: string; timeoutSec: number | null };

function GroupForm({ tenantId, group }: { tenantId: string; group: RingGroup | null }) {
  const [name, setName] = useState(group?.name ?? '');
  const [number, setNumber] = useState(group?.number ?? '');
  const [strategy, setStrategy] = useState(group?.strategy ?? 'SIMULTANEOUS');
  const [ringTimeoutSec, setRingTimeoutSec] = useState<number>(group?.ringTimeoutSec ?? 25);
  const [fallback, setFallback] = useState<DraftDestination>(
    group ? toDraft(group.fallback) : { type: 'HANGUP', value: '' },
  );
  const [members, setMembers] = useState<Member[]>(
    (group?.members ?? []).map((m, i) => ({ key: i + 1, ...m })),
  );
  const errors = useFieldErrors();
  const targets = useTargets(tenantId);
  const known = ['name', 'number', 'strategy', 'ringTimeoutSec', 'members', ...destinationFields('fallback')];
  members.forEach((_, i) => known.push(`members.${i}.extensionId`, `members.${i}.timeoutSec`));

  const { save, remove, saved, setSaved } = useResourceWrite({
    schema: RingGroupSchema,
    apiPath: paths.ringGroups(tenantId),
    existingId: group?.id ?? null,
    listKey: ringGroupList.key(tenantId),
    itemKey: (id) => ['ring-group', tenantId, id],
    pagePath: `/t/${tenantId}/ring-groups`,
    onError: (e) => errors.show(e, known),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const body = errors.check(group ? UpdateRingGroupBody : CreateRingGroupBody, {
      name,
      number: number.trim() || null,
      strategy,
      ringTimeoutSec,
      fallback: fromDraft(fallback) ?? undefined,
      members: members.map((m) => ({ extensionId: m.extensionId, timeoutSec: m.timeoutSec })),
    });
    if (body) save.mutate(body);
  };
  const setMember = (key: number, patch: Partial<Member>) =>
    setMembers((ms) => ms.map((m) => (m.key === key ? { ...m, ...patch } : m)));
  const move = (i: number, by: number) =>
    setMembers((ms) => {
      const next = [...ms];
      const [m] = next.splice(i, 1);
      if (m) next.splice(i + by, 0, m);
      return next;
    });

  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-label="Ring group">
      <Stack>
        <Group grow wrap="wrap">
          <TextInput
            label="Name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.of('name')}
            miw={150}
          />
          <TextInput
            label="Number (optional)"
            value={number}
            onChange={(e) => setNumber(e.currentTarget.value)}
            error={errors.of('number')}
            miw={150}
          />
        </Group>
        <Group grow wrap="wrap">
          <Select
            label="How the phones ring"
            data={[
              { value: 'SIMULTANEOUS', label: 'All at once' },
              { value: 'SEQUENTIAL', label: 'One after another' },
            ]}
            value={strategy}
            onChange={(s) => s && setStrategy(s === 'SEQUENTIAL' ? 'SEQUENTIAL' : 'SIMULTANEOUS')}
            allowDeselect={false}
            miw={150}
          />
          <NumberInput
            label="Ring time (seconds)"
            min={5}
            max={300}
            value={ringTimeoutSec}
            onChange={(n) => setRingTimeoutSec(typeof n === 'number' ? n : Number.NaN)}
            error={errors.of('ringTimeoutSec')}
            miw={150}
          />
        </Group>
        <Title order={2} size="h4">
          Members, in ringing order
        </Title>
        {members.length === 0 && <Text size="sm">No members: calls go straight to “nobody answers”.</Text>}
        {errors.of('members') && (
          <Text c="red" size="sm" role="alert">
            {errors.of('members')}
          </Text>
        )}
        {members.map((m, i) => (
          <Group key={m.key} align="flex-start" gap="xs" wrap="wrap" data-testid="member">
            <Select
              label={`Member ${i + 1}`}
              data={targets.EXTENSION}
              value={m.extensionId || null}
              onChange={(v) => setMember(m.key, { extensionId: v ?? '' })}
              error={errors.of(`members.${i}.extensionId`)}
              searchable
              w={200}
            />
            {strategy === 'SEQUENTIAL' && (
              <NumberInput
                label={`Member ${i + 1} rings (seconds)`}
                placeholder={`${ringTimeoutSec}`}
                min={5}
                max={300}
                value={m.timeoutSec ?? ''}
                onChange={(n) => setMember(m.key, { timeoutSec: typeof n === 'number' ? n : null })}
                error={errors.of(`members.${i}.timeoutSec`)}
                w={170}
              />
            )}
            <Group gap={4} mt={28}>
              <ActionIcon
                variant="default"
                aria-label={`Move member ${i + 1} up`}
                disabled={i === 0}
                onClick={() => move(i, -1)}
              >
                ↑
              </ActionIcon>
              <ActionIcon
                variant="default"
                aria-label={`Move member ${i + 1} down`}
                disabled={i === members.length - 1}
                onClick={() => move(i, 1)}
              >
                ↓
              </ActionIcon>
              <ActionIcon
                variant="default"
                aria-label={`Remove member ${i + 1}`}
                onClick={() => setMembers((ms) => ms.filter((x) => x.key !== m.key))}
              >
                ✕
              </ActionIcon>
            </Group>
          </Group>
        ))}
        <Button
          variant="default"
          w="fit-content"
          onClick={() =>
            setMembers((ms) => [
              ...ms,
              { key: Math.max(0, ...ms.map((x) => x.key)) + 1, extensionId: '', timeoutSec: null },
            ])
          }
        >
          Add member
        </Button>
        <DestinationPicker
          label="When nobody answers, calls go to"
          value={fallback}
          onChange={setFallback}
          targets={targets}
          error={destinationError(errors.of, 'fallback')}
        />
        <FormFooter
          error={errors.general}
          saved={saved}
          submitLabel={group ? 'Save ring group' : 'Create ring group'}
          saving={save.isPending}
          remove={
            group && {
              label: 'Delete',
              confirm: `Delete ${group.name}?`,
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
