import {
  ExtensionSchema,
  ExtensionWithPasswordSchema,
  OutboundPolicySchema,
  RecordingPolicySchema,
  UpdateExtensionBody,
  type Extension,
} from '@pbx/contracts';
import {
  Alert,
  Anchor,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { z } from 'zod';
import { ApiError, call, errorText, paths, request } from '../api.js';
import { Credentials } from '../ui/credentials.js';
import {
  DestinationPicker,
  fromDraft,
  toDraft,
  useTargets,
  type DraftDestination,
} from '../ui/destination.js';
import { useFieldErrors } from '../ui/form.js';
import { Loaded, Page } from '../ui/page.js';

export function ExtensionPage() {
  const { tenantId = '', extensionId = '' } = useParams();
  const ext = useQuery({
    queryKey: ['extension', tenantId, extensionId],
    queryFn: () => request(ExtensionSchema, paths.extension(tenantId, extensionId)),
  });
  return (
    <Page title={ext.data ? `Extension ${ext.data.number}` : 'Extension'}>
      <Anchor component={Link} to={`/t/${tenantId}/extensions`}>
        ← All extensions
      </Anchor>
      <Loaded query={ext}>{(x) => <ExtensionForm key={x.updatedAt} tenantId={tenantId} ext={x} />}</Loaded>
    </Page>
  );
}

const FIELDS = [
  'displayName',
  'callerIdName',
  'callerIdNumber',
  'ringTimeoutSec',
  'recordingPolicy',
  'outboundPolicy',
  'forwardAlways',
  'forwardBusy',
  'forwardNoAnswer',
] as const;

function ExtensionForm({ tenantId, ext }: { tenantId: string; ext: Extension }) {
  const [v, setV] = useState({
    displayName: ext.displayName,
    callerIdName: ext.callerIdName ?? '',
    callerIdNumber: ext.callerIdNumber ?? '',
    enabled: ext.enabled,
    dnd: ext.dnd,
    ringTimeoutSec: ext.ringTimeoutSec,
    recordingPolicy: ext.recordingPolicy,
    outboundPolicy: ext.outboundPolicy,
  });
  const [fwd, setFwd] = useState<
    Record<'forwardAlways' | 'forwardBusy' | 'forwardNoAnswer', DraftDestination>
  >({
    forwardAlways: toDraft(ext.forwardAlways),
    forwardBusy: toDraft(ext.forwardBusy),
    forwardNoAnswer: toDraft(ext.forwardNoAnswer),
  });
  const [saved, setSaved] = useState(false);
  const [reset, setReset] = useState<z.infer<typeof ExtensionWithPasswordSchema> | null>(null);
  const errors = useFieldErrors();
  const targets = useTargets(tenantId);
  const queries = useQueryClient();
  const navigate = useNavigate();
  const url = paths.extension(tenantId, ext.id);

  const save = useMutation({
    mutationFn: (body: unknown) => request(ExtensionSchema, url, { method: 'PATCH', body }),
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
  const resetPassword = useMutation({
    mutationFn: () => request(ExtensionWithPasswordSchema, `${url}/reset-password`, { method: 'POST' }),
    onSuccess: setReset,
  });
  const remove = useMutation({
    mutationFn: () => call(url, { method: 'DELETE' }),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ['extensions', tenantId] });
      await navigate(`/t/${tenantId}/extensions`);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const body = errors.check(UpdateExtensionBody, {
      ...v,
      callerIdName: v.callerIdName.trim() || null,
      callerIdNumber: v.callerIdNumber.trim() || null,
      forwardAlways: fromDraft(fwd.forwardAlways),
      forwardBusy: fromDraft(fwd.forwardBusy),
      forwardNoAnswer: fromDraft(fwd.forwardNoAnswer),
    });
    if (body) save.mutate(body);
  };
  const set = <K extends keyof typeof v>(k: K, value: (typeof v)[K]) =>
    setV((old) => ({ ...old, [k]: value }));
  const fieldError = (f: string) => errors.of(`${f}.value`) ?? errors.of(f);

  return (
    <Stack>
      {reset && <Credentials ext={reset} onDone={() => setReset(null)} />}
      <Paper withBorder p="md" component="form" onSubmit={submit} aria-label="Edit extension">
        <Stack>
          <Text size="sm" c="dimmed">
            SIP user {ext.sip.username}@{ext.sip.domain}. The number cannot be changed: create a new extension
            instead.
          </Text>
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
              value={v.callerIdNumber}
              onChange={(e) => set('callerIdNumber', e.currentTarget.value)}
              error={errors.of('callerIdNumber')}
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
              data={RecordingPolicySchema.options.map((o) => ({
                value: o,
                label: { INHERIT: 'As the tenant', NEVER: 'Never', ALWAYS: 'Always' }[o],
              }))}
              value={v.recordingPolicy}
              onChange={(o) => o && set('recordingPolicy', RecordingPolicySchema.parse(o))}
              allowDeselect={false}
              miw={150}
            />
            <Select
              label="Outbound calls"
              data={OutboundPolicySchema.options.map((o) => ({
                value: o,
                label: { NONE: 'None', LOCAL: 'Local', NATIONAL: 'National', INTERNATIONAL: 'International' }[
                  o
                ],
              }))}
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
          <DestinationPicker
            label="Forward always"
            allowNone
            value={fwd.forwardAlways}
            onChange={(d) => setFwd((f) => ({ ...f, forwardAlways: d }))}
            targets={targets}
            error={fieldError('forwardAlways')}
          />
          <DestinationPicker
            label="When busy"
            allowNone
            value={fwd.forwardBusy}
            onChange={(d) => setFwd((f) => ({ ...f, forwardBusy: d }))}
            targets={targets}
            error={fieldError('forwardBusy')}
          />
          <DestinationPicker
            label="When not answered"
            allowNone
            value={fwd.forwardNoAnswer}
            onChange={(d) => setFwd((f) => ({ ...f, forwardNoAnswer: d }))}
            targets={targets}
            error={fieldError('forwardNoAnswer')}
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
              Save
            </Button>
          </Group>
        </Stack>
      </Paper>
      <Paper withBorder p="md">
        <Stack>
          <Group>
            <Button
              variant="default"
              loading={resetPassword.isPending}
              onClick={() => resetPassword.mutate()}
            >
              Reset password
            </Button>
            <Button
              color="red"
              variant="outline"
              loading={remove.isPending}
              onClick={() => window.confirm(`Delete extension ${ext.number}?`) && remove.mutate()}
            >
              Delete extension
            </Button>
          </Group>
          {resetPassword.error && (
            <Text c="red" role="alert">
              {errorText(resetPassword.error)}
            </Text>
          )}
          {remove.error && <DeleteError error={remove.error} />}
        </Stack>
      </Paper>
    </Stack>
  );
}

/** A 409 REFERENCED lists what still routes to the extension. */
function DeleteError({ error }: { error: unknown }) {
  const refs = error instanceof ApiError ? error.details.referrers : undefined;
  const list = Array.isArray(refs)
    ? (refs as { entityType?: string; name?: string; field?: string }[])
    : null;
  return (
    <Alert color="red" role="alert" title="Not deleted">
      {list ? 'These still send calls here; point them elsewhere first:' : errorText(error)}
      {list && (
        <ul>
          {list.map((r) => (
            <li key={`${r.entityType}-${r.name}-${r.field}`}>
              {r.entityType} “{r.name}” ({r.field})
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}
