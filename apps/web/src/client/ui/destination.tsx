import { type Destination, type DestinationType } from '@pbx/contracts';
import { Anchor, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { boxList, menuList, ringGroupList, timeConditionList, useExtensions } from './tenant-lists.js';

type Option = { value: string; label: string };

/** Everything of the tenant a call can be sent to, as select options per destination type. */
export function useTargets(tenantId: string): Record<DestinationType, Option[]> {
  const exts = useExtensions(tenantId).data?.items ?? [];
  const boxes = boxList.use(tenantId).data?.items ?? [];
  const menus = menuList.use(tenantId).data?.items ?? [];
  const groups = ringGroupList.use(tenantId).data?.items ?? [];
  const conds = timeConditionList.use(tenantId).data?.items ?? [];
  const label = (number: string | null, name: string) => (number ? `${number} · ${name}` : name);
  return {
    EXTENSION: exts.map((x) => ({ value: x.id, label: label(x.number, x.displayName) })),
    VOICEMAIL: boxes.map((b) => ({ value: b.id, label: label(b.number, b.name) })),
    IVR_MENU: menus.map((m) => ({ value: m.id, label: label(m.number, m.name) })),
    RING_GROUP: groups.map((g) => ({ value: g.id, label: label(g.number, g.name) })),
    TIME_CONDITION: conds.map((c) => ({ value: c.id, label: c.name })),
    EXTERNAL: [],
    HANGUP: [],
  };
}

const TYPES: Option[] = [
  { value: 'EXTENSION', label: 'Extension' },
  { value: 'RING_GROUP', label: 'Ring group' },
  { value: 'VOICEMAIL', label: 'Voicemail box' },
  { value: 'IVR_MENU', label: 'IVR menu' },
  { value: 'TIME_CONDITION', label: 'Time condition' },
  { value: 'EXTERNAL', label: 'External number' },
  { value: 'HANGUP', label: 'Hang up' },
];

/** Where each kind of destination is created, and its name in a sentence, for the picker's empty state. */
const CREATE: Partial<Record<DestinationType, { path: string; none: string }>> = {
  EXTENSION: { path: 'extensions', none: 'No extensions yet' },
  RING_GROUP: { path: 'ring-groups/new', none: 'No ring groups yet' },
  VOICEMAIL: { path: 'voicemail/new', none: 'No voicemail boxes yet' },
  IVR_MENU: { path: 'ivr-menus/new', none: 'No IVR menus yet' },
  TIME_CONDITION: { path: 'time-conditions/new', none: 'No time conditions yet' },
};

/** A destination being edited: the value may still be empty. */
export type DraftDestination = { type: DestinationType; value: string } | null;

export const toDraft = (d: Destination | null): DraftDestination =>
  d === null ? null : { type: d.type, value: d.type === 'HANGUP' ? '' : d.value };
export const fromDraft = (d: DraftDestination): unknown =>
  d === null ? null : d.type === 'HANGUP' ? { type: 'HANGUP' } : { type: d.type, value: d.value };

/** Picks a destination: what kind, then which one of the tenant's (or an E.164 number). */
export function DestinationPicker({
  label,
  value,
  onChange,
  targets,
  error,
  allowNone = false,
}: {
  label: string;
  value: DraftDestination;
  onChange: (d: DraftDestination) => void;
  targets: Record<DestinationType, Option[]>;
  error?: string | undefined;
  allowNone?: boolean;
}) {
  const types = allowNone ? [{ value: 'NONE', label: 'Nowhere (off)' }, ...TYPES] : TYPES;
  const tenantId = useParams().tenantId ?? '';
  // Nothing of that kind to choose: say so, and lead to where one is made (a new tab keeps this form as it is).
  const create = value && targets[value.type].length === 0 ? CREATE[value.type] : undefined;
  return (
    <Stack gap={4}>
      <Group align="flex-start" grow wrap="wrap" gap="xs">
        <Select
          label={label}
          data={types}
          value={value?.type ?? (allowNone ? 'NONE' : null)}
          onChange={(t) => onChange(!t || t === 'NONE' ? null : { type: t as DestinationType, value: '' })}
          allowDeselect={false}
          miw={150}
        />
        {value && value.type === 'EXTERNAL' && (
          <TextInput
            label={`${label}: number`}
            placeholder="+493012345678"
            value={value.value}
            onChange={(e) => onChange({ type: 'EXTERNAL', value: e.currentTarget.value })}
            error={error}
            miw={150}
          />
        )}
        {value && value.type !== 'EXTERNAL' && value.type !== 'HANGUP' && (
          <Select
            label={`${label}: which`}
            data={targets[value.type]}
            value={value.value || null}
            onChange={(v) => onChange({ type: value.type, value: v ?? '' })}
            error={error}
            searchable
            nothingFoundMessage="None yet"
            miw={150}
          />
        )}
      </Group>
      {create && (
        <Text size="sm">
          {create.none}:{' '}
          <Anchor component={Link} to={`/t/${tenantId}/${create.path}`} target="_blank">
            create one (opens in a new tab)
          </Anchor>
          , then choose it here.
        </Text>
      )}
    </Stack>
  );
}

/** Where a destination leads, in words: "Ring group · 600 · Sales". */
export function describeDestination(d: Destination, targets: Record<DestinationType, Option[]>): string {
  const kind = TYPES.find((t) => t.value === d.type)?.label ?? d.type;
  if (d.type === 'HANGUP') return kind;
  if (d.type === 'EXTERNAL') return `${kind} ${d.value}`;
  return `${kind} · ${targets[d.type].find((o) => o.value === d.value)?.label ?? 'unknown'}`;
}
