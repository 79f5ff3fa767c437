import {
  ExtensionSchema,
  OutboundPolicySchema,
  RecordingPolicySchema,
  UpdateExtensionBody,
  type Extension,
} from '@pbx/contracts';
import { Button, Group, NumberInput, Paper, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { paths, request } from '../../api.js';
import {
  DestinationPicker,
  fromDraft,
  toDraft,
  useTargets,
  type DraftDestination,
} from '../../ui/destination.js';
import { useFieldErrors } from '../../ui/form.js';
import { FormStatus } from '../../ui/form-status.js';
import { outboundOptions, recordingOptions } from '../../ui/labels.js';

const FIELDS = [
  'displayName',
  'callerIdName',
  'callerIdNumber',
  'emergencyCallerIdNumber',
  'emergencyLocation',
  'voicemailBoxId',
  'ringTimeoutSec',
  'recordingPolicy',
  'outboundPolicy',
  'forwardAlways',
  'forwardBusy',
  'forwardNoAnswer',
] as const;

type Forward = 'forwardAlways' | 'forwardBusy' | 'forwardNoAnswer';
const FORWARDS: [Forward, string][] = [
  ['forwardAlways', 'Forward always'],
  ['forwardBusy', 'When busy'],
  ['forwardNoAnswer', 'When not answered'],
];

/** Everything an admin may change on an extension but its number and password (those have their own forms). */
export function ExtensionSettingsForm({ tenantId, ext }: { tenantId: string; ext: Extension }) {
  const [v, setV] = useState({
    displayName: ext.displayName,
    callerIdName: ext.callerIdName ?? '',
    callerIdNumber: ext.callerIdNumber ?? '',
    emergencyCallerIdNumber: ext.emergencyCallerIdNumber ?? '',
    emergencyLocation: ext.emergencyLocation ?? '',
    enabled: ext.enabled,
    dnd: ext.dnd,
    voicemailEnabled: ext.voicemailEnabled,
    voicemailBoxId: ext.voicemailBoxId,
    ringTimeoutSec: ext.ringTimeoutSec,
    recordingPolicy: ext.recordingPolicy,
    outboundPolicy: ext.outboundPolicy,
  });
  const [fwd, setFwd] = useState<Record<Forward, DraftDestination>>({
    forwardAlways: toDraft(ext.forwardAlways),
    forwardBusy: toDraft(ext.forwardBusy),
    forwardNoAnswer: toDraft(ext.forwardNoAnswer),
  });
  const [saved, setSaved] = useState(false);
  const errors = useFieldErrors();
  const targets = useTargets(tenantId);
  const queries = useQueryClient();

  const save = useMutation({
    mutationFn: (body: unknown) =>
      request(ExtensionSchema, paths.extension(tenantId, ext.id), { method: 'PATCH', body }),
    onSuccess: async () => {
      setSaved(true);
      await queries.invalidateQueries({ queryKey: ['extensions', tenantId] });
      await queries.invalidateQueries({ queryKey: ['extension', tenantId, ext.id] });
    },
    onError: (error) =>
      errors.show(
        error,
        FIELDS.flatMap((f) => [f, `${f}.value`]),
      ),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const body = errors.check(UpdateExtensionBody, {
      ...v,
      callerIdName: v.callerIdName.trim() || null,
      callerIdNumber: v.callerIdNumber.trim() || null,
      emergencyCallerIdNumber: v.emergencyCallerIdNumber.trim() || null,
      emergencyLocation: v.emergencyLocation.trim() || null,
      forwardAlways: fromDraft(fwd.forwardAlways),
      forwardBusy: fromDraft(fwd.forwardBusy),
      forwardNoAnswer: fromDraft(fwd.forwardNoAnswer),
    });
    if (body) save.mutate(body);
  };
  const set = <K extends keyof typeof v>(k: K, value: (typeof v)[K]) =>
    setV((old) => ({ ...old, [k]: value }));

  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-label="Edit extension">
      <Stack>
        <TextInput
          label="Display name"
          value={v.displayName}
          onChange={(e) => set('displayName', e.currentTarget.value)}
          error={errors.of('displayName')}
        />
        <Group grow wrap="wrap">
          <TextInput
            label="Caller ID name"
            value={v.callerIdName}
            onChange={(e) => set('callerIdName', e.currentTarget.value)}
            error={errors.of('callerIdName')}
            miw={180}
          />
          <TextInput
            label="Caller ID number"
            placeholder="+493012345678"
            description="Empty: the company's main number"
            value={v.callerIdNumber}
            onChange={(e) => set('callerIdNumber', e.currentTarget.value)}
            error={errors.of('callerIdNumber')}
            miw={180}
          />
        </Group>
        <Group grow wrap="wrap" align="flex-start">
          <TextInput
            label="Emergency callback number"
            description="Empty: the company's"
            value={v.emergencyCallerIdNumber}
            onChange={(e) => set('emergencyCallerIdNumber', e.currentTarget.value)}
            error={errors.of('emergencyCallerIdNumber')}
            miw={180}
          />
          <TextInput
            label="Emergency location"
            description="Where this phone is, as the carrier knows it; empty: the company's"
            value={v.emergencyLocation}
            onChange={(e) => set('emergencyLocation', e.currentTarget.value)}
            error={errors.of('emergencyLocation')}
            miw={180}
          />
        </Group>
        <Group grow wrap="wrap">
          <NumberInput
            label="Ring time (seconds)"
            min={5}
            max={300}
            value={v.ringTimeoutSec}
            onChange={(n) => set('ringTimeoutSec', typeof n === 'number' ? n : 0)}
            error={errors.of('ringTimeoutSec')}
            miw={150}
          />
          <Select
            label="Recording"
            data={recordingOptions()}
            value={v.recordingPolicy}
            onChange={(o) => o && set('recordingPolicy', RecordingPolicySchema.parse(o))}
            allowDeselect={false}
            miw={150}
          />
          <Select
            label="Outbound calls"
            data={outboundOptions}
            value={v.outboundPolicy}
            onChange={(o) => o && set('outboundPolicy', OutboundPolicySchema.parse(o))}
            allowDeselect={false}
            error={errors.of('outboundPolicy')}
            miw={150}
          />
        </Group>
        <Switch
          label="Enabled (may register and call)"
          checked={v.enabled}
          onChange={(e) => set('enabled', e.currentTarget.checked)}
        />
        <Switch
          label="Do not disturb"
          checked={v.dnd}
          onChange={(e) => set('dnd', e.currentTarget.checked)}
        />
        <Switch
          label="Voicemail when not answered"
          checked={v.voicemailEnabled}
          onChange={(e) => set('voicemailEnabled', e.currentTarget.checked)}
        />
        {v.voicemailEnabled && (
          <Select
            label="Voicemail box"
            data={targets.VOICEMAIL}
            value={v.voicemailBoxId}
            onChange={(id) => set('voicemailBoxId', id)}
            placeholder="None"
            nothingFoundMessage="No voicemail boxes yet"
            error={errors.of('voicemailBoxId')}
            clearable
          />
        )}
        {FORWARDS.map(([field, label]) => (
          <DestinationPicker
            key={field}
            label={label}
            allowNone
            value={fwd[field]}
            onChange={(d) => setFwd((f) => ({ ...f, [field]: d }))}
            targets={targets}
            error={errors.of(`${field}.value`) ?? errors.of(field)}
          />
        ))}
        <FormStatus error={errors.general} done={saved && 'Saved.'} />
        <Group>
          <Button type="submit" loading={save.isPending}>
            Save
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          The number and the SIP password are changed below.
        </Text>
      </Stack>
    </Paper>
  );
}
