import { TenantSchema, type Tenant } from '@pbx/contracts';
import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { call, errorText, paths, request } from '../api.js';
import { formatDateTime } from '../ui/dates.js';
import { Section } from '../ui/form-status.js';

/**
 * A platform admin's controls over a whole tenant: suspend or reactivate it, delete it (suspended at once, purged
 * after the API's grace period, restorable until then), or purge a deleted one now. Deleting and purging ask for
 * the tenant's domain typed out; the API asks for it again for the purge.
 */
export function TenantLifecycle({ tenant }: { tenant: Tenant }) {
  const [typed, setTyped] = useState('');
  const queries = useQueryClient();
  const navigate = useNavigate();
  const url = paths.tenant(tenant.id);
  const refresh = async () => {
    setTyped('');
    await queries.invalidateQueries({ queryKey: ['tenant', tenant.id] });
    await queries.invalidateQueries({ queryKey: ['tenants'] });
  };
  const act = useMutation({
    mutationFn: async (what: 'suspend' | 'activate' | 'delete' | 'restore' | 'purge') => {
      if (what === 'suspend' || what === 'activate')
        return request(TenantSchema, url, {
          method: 'PATCH',
          body: { status: what === 'suspend' ? 'SUSPENDED' : 'ACTIVE' },
        });
      if (what === 'delete') return request(TenantSchema, url, { method: 'DELETE' });
      if (what === 'restore') return request(TenantSchema, `${url}/restore`, { method: 'POST' });
      await call(`${url}/purge`, { method: 'POST', body: { confirmDomain: typed } });
      return null;
    },
    onSuccess: async (result) => {
      if (result === null) {
        queries.removeQueries({ queryKey: ['tenant', tenant.id] });
        await queries.invalidateQueries({ queryKey: ['tenants'], refetchType: 'all' });
        await navigate('/tenants');
      } else await refresh();
    },
  });
  const confirmed = typed === tenant.domain;
  const run = (what: Parameters<typeof act.mutate>[0]) => act.mutate(what);

  return (
    <Section title="Tenant status (platform admin)">
      <Text size="sm" data-testid="tenant-status">
        {tenant.purgeAt
          ? `Deleted: suspended, and purged with all its calls, messages and recordings on ${formatDateTime(tenant.purgeAt, tenant.timeZone)} unless restored.`
          : tenant.status === 'SUSPENDED'
            ? 'Suspended: its phones cannot register or call and its users cannot sign in.'
            : 'Active.'}
      </Text>
      <Group>
        {!tenant.purgeAt && tenant.status === 'ACTIVE' && (
          <Button variant="default" loading={act.isPending} onClick={() => run('suspend')}>
            Suspend
          </Button>
        )}
        {!tenant.purgeAt && tenant.status === 'SUSPENDED' && (
          <Button variant="default" loading={act.isPending} onClick={() => run('activate')}>
            Reactivate
          </Button>
        )}
        {tenant.purgeAt && (
          <Button variant="default" loading={act.isPending} onClick={() => run('restore')}>
            Restore
          </Button>
        )}
      </Group>
      <Stack gap="xs">
        <TextInput
          label={`Type ${tenant.domain} to ${tenant.purgeAt ? 'purge it now' : 'delete it'}`}
          value={typed}
          onChange={(e) => setTyped(e.currentTarget.value)}
          autoComplete="off"
        />
        <Group>
          <Button
            color="red"
            variant="outline"
            disabled={!confirmed}
            loading={act.isPending}
            onClick={() => run(tenant.purgeAt ? 'purge' : 'delete')}
          >
            {tenant.purgeAt ? 'Purge now' : 'Delete tenant'}
          </Button>
        </Group>
      </Stack>
      {act.error && (
        <Alert color="red" role="alert">
          {errorText(act.error)}
        </Alert>
      )}
    </Section>
  );
}
