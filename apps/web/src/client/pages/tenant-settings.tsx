import {
  TenantRecordingPolicySchema,
  TenantSchema,
  TenantSettingsBody,
  VerifiedCallerIdPage,
  type Tenant,
} from '@pbx/contracts';
import { Button, Group, NumberInput, Select, Stack, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { paths, request } from '../api.js';
import { useFieldErrors } from '../ui/form.js';
import { FormStatus, Section } from '../ui/form-status.js';
import { Loaded, Page } from '../ui/page.js';
import { useMe } from '../session.js';
import { TenantTrunks } from './tenant-trunks.js';
import { FraudPolicyForm } from './fraud-policy-form.js';
import { TenantLifecycle } from './tenant-lifecycle.js';
import { ProviderSettingsForm } from './tenant-provider-settings.js';
import { numberList } from '../ui/tenant-lists.js';

const FIELDS = ['name', 'timeZone', 'defaultCallerIdNumber', 'recordingPolicy', 'recordingRetentionDays'];
const TIME_ZONES = Intl.supportedValuesOf('timeZone');

/** The numbers the tenant may show as caller ID: its inbound numbers and those the platform verified for it. */
function useCallerIds(tenantId: string) {
  const dids = numberList.use(tenantId);
  const verified = useQuery({
    queryKey: ['verified-caller-ids', tenantId],
    queryFn: () => request(VerifiedCallerIdPage, `${paths.tenant(tenantId)}/verified-caller-ids?limit=200`),
  });
  const all = [...(dids.data?.items ?? []), ...(verified.data?.items ?? [])].map((n) => n.e164);
  return [...new Set(all)].sort();
}

/** A tenant admin's company settings and outbound (fraud) policy. */
export function TenantSettingsPage() {
  const { tenantId = '' } = useParams();
  const platform = useMe().data?.role === 'PLATFORM_ADMIN';
  const tenant = useQuery({
    queryKey: ['tenant', tenantId],
    queryFn: () => request(TenantSchema, paths.tenant(tenantId)),
  });
  return (
    <Page title="Company settings">
      <Loaded query={tenant}>
        {(t) => (
          <Stack>
            <CompanyForm key={t.id} tenant={t} />
            <ProviderSettingsForm key={`provider-${t.id}`} tenant={t} editable={platform} />
            <FraudPolicyForm tenantId={tenantId} />
            <TenantTrunks tenantId={tenantId} editable={platform} />
            {platform && <TenantLifecycle tenant={t} />}
          </Stack>
        )}
      </Loaded>
    </Page>
  );
}

function CompanyForm({ tenant }: { tenant: Tenant }) {
  const [v, setV] = useState({
    name: tenant.name,
    timeZone: tenant.timeZone,
    defaultCallerIdNumber: tenant.defaultCallerIdNumber,
    recordingPolicy: tenant.recordingPolicy,
    recordingRetentionDays: tenant.recordingRetentionDays,
  });
  const [saved, setSaved] = useState(false);
  const errors = useFieldErrors();
  const callerIds = useCallerIds(tenant.id);
  const queries = useQueryClient();
  const save = useMutation({
    mutationFn: (body: unknown) =>
      request(TenantSchema, `${paths.tenant(tenant.id)}/settings`, { method: 'PATCH', body }),
    onSuccess: async () => {
      setSaved(true);
      await queries.invalidateQueries({ queryKey: ['tenant', tenant.id] });
      await queries.invalidateQueries({ queryKey: ['me'] });
    },
    onError: (error) => errors.show(error, FIELDS),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const body = errors.check(TenantSettingsBody, v);
    if (body) save.mutate(body);
  };
  const set = <K extends keyof typeof v>(k: K, value: (typeof v)[K]) =>
    setV((old) => ({ ...old, [k]: value }));

  return (
    <Section title="Company">
      <Stack component="form" onSubmit={submit} aria-label="Company settings">
        <TextInput
          label="Company name"
          value={v.name}
          onChange={(e) => set('name', e.currentTarget.value)}
          error={errors.of('name')}
        />
        <Group grow wrap="wrap" align="flex-start">
          <Select
            label="Time zone"
            description="Business hours and call history use it"
            data={TIME_ZONES}
            value={v.timeZone}
            onChange={(z) => z && set('timeZone', z)}
            searchable
            allowDeselect={false}
            error={errors.of('timeZone')}
            miw={180}
          />
          <Select
            label="Default caller ID"
            description="Shown on outgoing calls of extensions without their own"
            data={callerIds}
            value={v.defaultCallerIdNumber}
            onChange={(n) => set('defaultCallerIdNumber', n)}
            placeholder="None"
            nothingFoundMessage="No numbers yet"
            clearable
            error={errors.of('defaultCallerIdNumber')}
            miw={180}
          />
        </Group>
        <Group grow wrap="wrap" align="flex-start">
          <Select
            label="Record calls"
            description="Extensions may override it"
            data={TenantRecordingPolicySchema.options.map((o) => ({
              value: o,
              label: o === 'ALWAYS' ? 'Always' : 'Never',
            }))}
            value={v.recordingPolicy}
            onChange={(o) => o && set('recordingPolicy', TenantRecordingPolicySchema.parse(o))}
            allowDeselect={false}
            miw={150}
          />
          <NumberInput
            label="Keep recordings (days)"
            min={1}
            max={3650}
            value={v.recordingRetentionDays}
            onChange={(n) => set('recordingRetentionDays', typeof n === 'number' ? n : 0)}
            error={errors.of('recordingRetentionDays')}
            miw={150}
          />
        </Group>
        <FormStatus error={errors.general} done={saved && 'Saved.'} />
        <Group>
          <Button type="submit" loading={save.isPending}>
            Save
          </Button>
        </Group>
      </Stack>
    </Section>
  );
}
