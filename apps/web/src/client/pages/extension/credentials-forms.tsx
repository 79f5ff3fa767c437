import {
  ChangeExtensionNumberBody,
  ChangedExtensionNumberSchema,
  ExtensionSchema,
  ExtensionWithPasswordSchema,
  SetSipPasswordBody,
  type Extension,
} from '@pbx/contracts';
import { Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { errorText, paths, request } from '../../api.js';
import { Credentials } from '../../ui/credentials.js';
import { useDateFormat } from '../../ui/dates.js';
import { useFieldErrors } from '../../ui/form.js';
import { FormStatus, Section } from '../../ui/form-status.js';

type WithPassword = z.infer<typeof ExtensionWithPasswordSchema>;

function useRefresh(tenantId: string, id: string) {
  const queries = useQueryClient();
  return async () => {
    await queries.invalidateQueries({ queryKey: ['extensions', tenantId] });
    await queries.invalidateQueries({ queryKey: ['extension', tenantId, id] });
  };
}

/**
 * The phone's SIP password: a new random one (shown once), or one the admin chooses, checked with the same
 * contract as the API before sending (length, common passwords) and by the API (number, domain).
 */
export function PasswordForms({ tenantId, ext }: { tenantId: string; ext: Extension }) {
  const url = paths.extension(tenantId, ext.id);
  const [shown, setShown] = useState<WithPassword | null>(null);
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const errors = useFieldErrors();
  const refresh = useRefresh(tenantId, ext.id);
  const date = useDateFormat(tenantId);

  const reset = useMutation({
    mutationFn: () => request(ExtensionWithPasswordSchema, `${url}/reset-password`, { method: 'POST' }),
    onSuccess: (x) => {
      setShown(x);
      setDone(false);
    },
  });
  const choose = useMutation({
    mutationFn: (body: unknown) => request(ExtensionSchema, `${url}/sip-password`, { method: 'PUT', body }),
    onSuccess: async () => {
      setPassword('');
      setDone(true);
      await refresh();
    },
    onError: (error) => errors.show(error, ['password']),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    const body = errors.check(SetSipPasswordBody, { password });
    if (body) choose.mutate(body);
  };

  return (
    <Section title="SIP password">
      {shown && <Credentials ext={shown} onDone={() => setShown(null)} />}
      <Text size="sm">
        Last set {date(ext.passwordSetAt)}. Phones using the old password stop registering.
      </Text>
      <Group>
        <Button variant="default" loading={reset.isPending} onClick={() => reset.mutate()}>
          Reset password
        </Button>
      </Group>
      {reset.error && (
        <Text c="red" role="alert">
          {errorText(reset.error)}
        </Text>
      )}
      <Stack component="form" onSubmit={submit} aria-label="Set a chosen password" gap="xs">
        <PasswordInput
          label="Or set a chosen password"
          description="For a phone moved from another PBX: at least 12 characters, not the extension number or the company's domain"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={errors.of('password')}
          autoComplete="new-password"
        />
        <FormStatus error={errors.general} done={done && 'The new password is set.'} />
        <Group>
          <Button type="submit" variant="default" loading={choose.isPending}>
            Set password
          </Button>
        </Group>
      </Stack>
    </Section>
  );
}

/**
 * A new number for the extension. What routes to it follows (it is routed to by id); the phone needs the new
 * user name, and keeps its password only if it is entered here (else a new one is shown once).
 */
export function ChangeNumberForm({ tenantId, ext }: { tenantId: string; ext: Extension }) {
  const [number, setNumber] = useState('');
  const [current, setCurrent] = useState('');
  const [result, setResult] = useState<z.infer<typeof ChangedExtensionNumberSchema> | null>(null);
  const errors = useFieldErrors();
  const refresh = useRefresh(tenantId, ext.id);

  const change = useMutation({
    mutationFn: (body: unknown) =>
      request(ChangedExtensionNumberSchema, `${paths.extension(tenantId, ext.id)}/change-number`, {
        method: 'POST',
        body,
      }),
    onSuccess: async (x) => {
      setResult(x);
      setNumber('');
      setCurrent('');
      await refresh();
    },
    onError: (error) => errors.show(error, ['number', 'currentPassword']),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setResult(null);
    const body = errors.check(ChangeExtensionNumberBody, {
      number: number.trim(),
      ...(current ? { currentPassword: current } : {}),
    });
    if (body) change.mutate(body);
  };

  return (
    <Section title="Number">
      {result?.sipPassword && (
        <Credentials ext={{ ...result, sipPassword: result.sipPassword }} onDone={() => setResult(null)} />
      )}
      {result && !result.sipPassword && (
        <Text c="green" role="status">
          Now extension {result.number}. Set the phone’s user name to {result.sip.username}; its password
          stays.
        </Text>
      )}
      <Text size="sm">
        SIP user {ext.sip.username}@{ext.sip.domain}. IVR options, ring groups, numbers and forwards pointing
        here follow the new number. The phone’s user name becomes the new number.
      </Text>
      <Stack component="form" onSubmit={submit} aria-label="Change number" gap="xs">
        <Group grow wrap="wrap" align="flex-start">
          <TextInput
            label="New number"
            value={number}
            onChange={(e) => setNumber(e.currentTarget.value)}
            error={errors.of('number')}
            inputMode="numeric"
            miw={150}
          />
          <PasswordInput
            label="Phone’s current password (optional)"
            description="Given: the phone keeps it. Empty: a new one is made."
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
            error={errors.of('currentPassword')}
            autoComplete="off"
            miw={180}
          />
        </Group>
        <FormStatus error={errors.general} />
        <Group>
          <Button type="submit" variant="default" loading={change.isPending}>
            Change number
          </Button>
        </Group>
      </Stack>
    </Section>
  );
}
