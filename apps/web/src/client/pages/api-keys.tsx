import { ApiKeyPage, ApiKeyScopeSchema, CreateApiKeyBody, CreatedApiKeySchema } from '@pbx/contracts';
import { Alert, Button, Checkbox, Code, CopyButton, Group, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import type { z } from 'zod';
import { call, errorText, request } from '../api.js';
import { DataTable } from '../ui/data-table.js';
import { useDateFormat } from '../ui/dates.js';
import { useFieldErrors } from '../ui/form.js';
import { FormStatus, Section } from '../ui/form-status.js';
import { Loaded, Page } from '../ui/page.js';

const SCOPE = { READ: 'Read', WRITE: 'Change settings', USERS: 'Manage users', API_KEYS: 'Manage API keys' };

/** Keys for the company's own scripts and integrations: created with the key shown once, revoked at any time. */
export function ApiKeysPage() {
  const { tenantId = '' } = useParams();
  const keys = useQuery({
    queryKey: ['api-keys', tenantId],
    queryFn: () => request(ApiKeyPage, `/v1/api-keys?limit=200&tenantId=${encodeURIComponent(tenantId)}`),
  });
  const date = useDateFormat(tenantId);
  const queries = useQueryClient();
  const revoke = useMutation({
    mutationFn: (id: string) => call(`/v1/api-keys/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['api-keys', tenantId] }),
  });
  return (
    <Page title="API keys">
      <Loaded query={keys}>
        {(page) => (
          <DataTable
            label="API keys"
            rows={page.items}
            empty="No API keys yet."
            columns={[
              { title: 'Name', cell: (k) => k.name },
              { title: 'Starts with', cell: (k) => <Code>{k.prefix}</Code> },
              { title: 'May', cell: (k) => k.scopes.map((s) => SCOPE[s]).join(', ') },
              { title: 'Created', cell: (k) => date(k.createdAt) },
              { title: 'Last used', cell: (k) => (k.lastUsedAt ? date(k.lastUsedAt) : 'Never') },
              { title: 'Expires', cell: (k) => (k.expiresAt ? date(k.expiresAt) : 'Never') },
              {
                title: 'Revoke',
                cell: (k) => (
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() => revoke.mutate(k.id)}
                    aria-label={`Revoke ${k.name}`}
                  >
                    Revoke
                  </Button>
                ),
              },
            ]}
          />
        )}
      </Loaded>
      {revoke.error && <FormStatus error={errorText(revoke.error)} />}
      <NewKey tenantId={tenantId} />
    </Page>
  );
}

function NewKey({ tenantId }: { tenantId: string }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['READ', 'WRITE']);
  const [created, setCreated] = useState<z.infer<typeof CreatedApiKeySchema> | null>(null);
  const errors = useFieldErrors();
  const queries = useQueryClient();
  const create = useMutation({
    mutationFn: (body: unknown) => request(CreatedApiKeySchema, '/v1/api-keys', { method: 'POST', body }),
    onSuccess: async (k) => {
      setCreated(k);
      setName('');
      await queries.invalidateQueries({ queryKey: ['api-keys', tenantId] });
    },
    onError: (error) => errors.show(error, ['name', 'scopes']),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    const body = errors.check(CreateApiKeyBody, { name, scopes, tenantId });
    if (body) create.mutate(body);
  };
  return (
    <Section title="New API key">
      {created && (
        <Alert color="yellow">
          <Stack gap="xs">
            <Text fw={700}>Key “{created.name}”: copy it now, it is not shown again</Text>
            <Code data-testid="api-key" style={{ wordBreak: 'break-all' }}>
              {created.key}
            </Code>
            <CopyButton value={created.key}>
              {({ copied, copy }) => (
                <Button size="xs" variant="default" onClick={copy} w="fit-content">
                  {copied ? 'Copied' : 'Copy key'}
                </Button>
              )}
            </CopyButton>
          </Stack>
        </Alert>
      )}
      <Stack component="form" onSubmit={submit} aria-label="New API key">
        <TextInput
          label="Name"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={errors.of('name')}
        />
        <Checkbox.Group label="It may" value={scopes} onChange={setScopes} error={errors.of('scopes')}>
          <Group mt="xs">
            {ApiKeyScopeSchema.options.map((s) => (
              <Checkbox key={s} value={s} label={SCOPE[s]} />
            ))}
          </Group>
        </Checkbox.Group>
        <Text size="xs" c="dimmed">
          A key never has more rights than the person who creates it.
        </Text>
        <FormStatus error={errors.general} />
        <Button type="submit" loading={create.isPending} w="fit-content">
          Create key
        </Button>
      </Stack>
    </Section>
  );
}
