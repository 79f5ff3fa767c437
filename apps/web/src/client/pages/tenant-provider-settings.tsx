import { TenantSchema, UpdateTenantBody, type Tenant } from '@pbx/contracts';
import { Button, Group, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { paths, request } from '../api.js';
import { countryOptions } from '../ui/countries.js';
import { useFieldErrors } from '../ui/form.js';
import { FormStatus, Section } from '../ui/form-status.js';

/** The tenant's settings the API leaves to the platform admin (PATCH /v1/tenants/:id); its own admins read them. */
const ProviderSettingsBody = UpdateTenantBody.pick({
  country: true,
  emergencyCallerIdNumber: true,
  emergencyLocation: true,
  voicemailRetentionDays: true,
  emailFrom: true,
});
const FIELDS = Object.keys(ProviderSettingsBody.shape);

/** Empty text is "not set" (null) for the API. */
const orNull = (text: string) => text.trim() || null;

export function ProviderSettingsForm({ tenant, editable }: { tenant: Tenant; editable: boolean }) {
  const [v, setV] = useState({
    country: tenant.country,
    emergencyCallerIdNumber: tenant.emergencyCallerIdNumber ?? '',
    emergencyLocation: tenant.emergencyLocation ?? '',
    voicemailRetentionDays: tenant.voicemailRetentionDays,
    emailFrom: tenant.emailFrom ?? '',
  });
  const [saved, setSaved] = useState(false);
  const errors = useFieldErrors();
  const countries = useMemo(() => countryOptions(), []);
  const queries = useQueryClient();
  const save = useMutation({
    mutationFn: (body: unknown) => request(TenantSchema, paths.tenant(tenant.id), { method: 'PATCH', body }),
    onSuccess: async () => {
      setSaved(true);
      await queries.invalidateQueries({ queryKey: ['tenant', tenant.id] });
    },
    onError: (error) => errors.show(error, FIELDS),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const body = errors.check(ProviderSettingsBody, {
      // The API cannot unset a country once set: one not chosen yet is left out.
      country: v.country ?? undefined,
      emergencyCallerIdNumber: orNull(v.emergencyCallerIdNumber),
      emergencyLocation: orNull(v.emergencyLocation),
      voicemailRetentionDays: v.voicemailRetentionDays,
      emailFrom: orNull(v.emailFrom),
    });
    if (body) save.mutate(body);
  };
  const set = <K extends keyof typeof v>(k: K, value: (typeof v)[K]) =>
    setV((old) => ({ ...old, [k]: value }));
  const disabled = !editable;

  return (
    <Section title="Emergency calls and voicemail">
      <Stack component="form" onSubmit={submit} aria-label="Emergency and voicemail settings">
        {disabled && <Text size="sm">Your provider sets these; ask them to change one.</Text>}
        <Select
          label="Country"
          description="Its dialling rules read national and emergency numbers"
          data={countries}
          value={v.country}
          onChange={(c) => c && set('country', c)}
          placeholder="Not set"
          searchable
          allowDeselect={false}
          disabled={disabled}
          error={errors.of('country')}
        />
        <Group grow wrap="wrap" align="flex-start">
          <TextInput
            label="Emergency callback number"
            description="One of the company's numbers; extensions may set their own"
            placeholder="+442071838750"
            value={v.emergencyCallerIdNumber}
            onChange={(e) => set('emergencyCallerIdNumber', e.currentTarget.value)}
            disabled={disabled}
            error={errors.of('emergencyCallerIdNumber')}
            miw={180}
          />
          <TextInput
            label="Emergency location"
            description="The site's identifier as the carrier knows it"
            value={v.emergencyLocation}
            onChange={(e) => set('emergencyLocation', e.currentTarget.value)}
            disabled={disabled}
            error={errors.of('emergencyLocation')}
            miw={180}
          />
        </Group>
        <Group grow wrap="wrap" align="flex-start">
          <NumberInput
            label="Keep voicemail messages (days)"
            description="Empty: until deleted"
            placeholder="Forever"
            min={1}
            max={3650}
            value={v.voicemailRetentionDays ?? ''}
            onChange={(n) => set('voicemailRetentionDays', typeof n === 'number' ? n : null)}
            disabled={disabled}
            error={errors.of('voicemailRetentionDays')}
            miw={180}
          />
          <TextInput
            label="Voicemail e-mails come from"
            description="Empty: the platform's address"
            value={v.emailFrom}
            onChange={(e) => set('emailFrom', e.currentTarget.value)}
            disabled={disabled}
            error={errors.of('emailFrom')}
            miw={180}
          />
        </Group>
        {editable && (
          <>
            <FormStatus error={errors.general} done={saved && 'Saved.'} />
            <Group>
              <Button type="submit" loading={save.isPending}>
                Save
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Section>
  );
}
