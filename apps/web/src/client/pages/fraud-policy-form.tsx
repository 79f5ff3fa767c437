import { FraudPolicySchema, UpdateFraudPolicyBody, type FraudPolicy } from '@pbx/contracts';
import { Button, Group, NumberInput, Stack, TagsInput, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { paths, request } from '../api.js';
import { useFieldErrors } from '../ui/form.js';
import { FormStatus, Section } from '../ui/form-status.js';
import { Loaded } from '../ui/page.js';

const url = (tenantId: string) => `${paths.tenant(tenantId)}/fraud-policy`;

/** The outbound policy: what the phones may call out to and how much, against toll fraud (issue #14). */
export function FraudPolicyForm({ tenantId }: { tenantId: string }) {
  const policy = useQuery({
    queryKey: ['fraud-policy', tenantId],
    queryFn: () => request(FraudPolicySchema, url(tenantId)),
  });
  return (
    <Section title="Outbound calls (fraud protection)">
      <Loaded query={policy}>{(p) => <PolicyFields key={tenantId} tenantId={tenantId} policy={p} />}</Loaded>
    </Section>
  );
}

const NUMBERS = [
  ['maxConcurrentPerExtension', 'External calls at once per extension (0: no limit)', 0, 1000],
  ['velocityMaxCalls', 'Calls allowed per window', 1, 10_000],
  ['velocityWindowSec', 'Window (seconds)', 60, 86_400],
  ['velocityBlockSec', 'Block for (seconds) when exceeded', 60, 604_800],
  ['maxCallDurationSec', 'Longest external call (seconds)', 60, 86_400],
] as const;
type NumberField = (typeof NUMBERS)[number][0];

function PolicyFields({ tenantId, policy }: { tenantId: string; policy: FraudPolicy }) {
  const [countries, setCountries] = useState(policy.allowedCountries);
  const [nums, setNums] = useState<Record<NumberField, number>>({
    maxConcurrentPerExtension: policy.maxConcurrentPerExtension,
    velocityMaxCalls: policy.velocityMaxCalls,
    velocityWindowSec: policy.velocityWindowSec,
    velocityBlockSec: policy.velocityBlockSec,
    maxCallDurationSec: policy.maxCallDurationSec,
  });
  const [saved, setSaved] = useState(false);
  const errors = useFieldErrors();
  const queries = useQueryClient();
  const save = useMutation({
    mutationFn: (body: unknown) => request(FraudPolicySchema, url(tenantId), { method: 'PUT', body }),
    onSuccess: async () => {
      setSaved(true);
      await queries.invalidateQueries({ queryKey: ['fraud-policy', tenantId] });
    },
    onError: (error) => errors.show(error, ['allowedCountries', ...NUMBERS.map((n) => n[0])]),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const body = errors.check(UpdateFraudPolicyBody, {
      allowedCountries: countries.map((c) => c.trim().toUpperCase()),
      ...nums,
    });
    if (body) save.mutate(body);
  };
  const countryError = Object.entries(errors.fields).find(([k]) => k.startsWith('allowedCountries'))?.[1];

  return (
    <Stack component="form" onSubmit={submit} aria-label="Outbound policy">
      <Text size="sm">
        Set by your provider: international calls {policy.allowInternational ? 'allowed' : 'not allowed'},
        premium numbers {policy.allowPremium ? 'allowed' : 'not allowed'}, at most{' '}
        {policy.maxConcurrentPerTenant} external calls at once.
      </Text>
      <TagsInput
        label="Countries international calls may reach"
        description="Two-letter codes such as DE, FR; empty: any"
        value={countries}
        onChange={setCountries}
        error={countryError}
        clearable
      />
      <Group grow wrap="wrap" align="flex-start">
        {NUMBERS.map(([field, label, min, max]) => (
          <NumberInput
            key={field}
            label={label}
            min={min}
            max={max}
            value={nums[field]}
            onChange={(n) => setNums((o) => ({ ...o, [field]: typeof n === 'number' ? n : 0 }))}
            error={errors.of(field)}
            miw={180}
          />
        ))}
      </Group>
      <FormStatus error={errors.general} done={saved && 'Saved.'} />
      <Group>
        <Button type="submit" loading={save.isPending}>
          Save outbound policy
        </Button>
      </Group>
    </Stack>
  );
}
