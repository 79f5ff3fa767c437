import { CreateTenantBody, TenantPage, type Tenant } from '@pbx/contracts';
import { Anchor, Badge, Button, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { request, paths } from '../api.js';
import { useFieldErrors } from '../ui/form.js';
import { Loaded, Page } from '../ui/page.js';
import { TenantSchema } from '@pbx/contracts';

export function TenantsPage() {
  const [search, setSearch] = useState('');
  const list = useQuery({
    queryKey: ['tenants', search],
    queryFn: () =>
      request(
        TenantPage,
        `${paths.tenants}?limit=200${search ? `&search=${encodeURIComponent(search)}` : ''}`,
      ),
  });
  return (
    <Page title="Tenants">
      <TextInput label="Search tenants" value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
      <Loaded query={list}>
        {(page) =>
          page.items.length === 0 ? (
            <Text>No tenants yet.</Text>
          ) : (
            <Table.ScrollContainer minWidth={320}>
              <Table aria-label="Tenants" striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Domain</Table.Th>
                    <Table.Th>Status</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((t: Tenant) => (
                    <Table.Tr key={t.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/t/${t.id}/extensions`}>
                          {t.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{t.domain}</Table.Td>
                      <Table.Td>
                        <Badge color={t.status === 'ACTIVE' ? 'green' : 'red'} variant="dot">
                          {t.purgeAt ? 'deleted' : t.status.toLowerCase()}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </Loaded>
      <NewTenant />
    </Page>
  );
}

function NewTenant() {
  const [name, setName] = useState('');
  const [domain, setDomain] = useState('');
  const [timeZone, setTimeZone] = useState('Europe/Berlin');
  const errors = useFieldErrors();
  const queries = useQueryClient();
  const create = useMutation({
    mutationFn: (body: unknown) => request(TenantSchema, paths.tenants, { method: 'POST', body }),
    onSuccess: async () => {
      setName('');
      setDomain('');
      await queries.invalidateQueries({ queryKey: ['tenants'] });
    },
    onError: (error) => errors.show(error, ['name', 'domain', 'timeZone']),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = errors.check(CreateTenantBody, { name, domain, timeZone });
    if (body) create.mutate(body);
  };
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-label="New tenant">
      <Stack>
        <Title order={2} size="h3">
          New tenant
        </Title>
        <TextInput
          label="Name"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={errors.of('name')}
        />
        <TextInput
          label="SIP domain"
          description="One domain per tenant, e.g. acme.pbx.example.com"
          value={domain}
          onChange={(e) => setDomain(e.currentTarget.value)}
          error={errors.of('domain')}
        />
        <TextInput
          label="Time zone"
          value={timeZone}
          onChange={(e) => setTimeZone(e.currentTarget.value)}
          error={errors.of('timeZone')}
        />
        {errors.general && (
          <Text c="red" role="alert">
            {errors.general}
          </Text>
        )}
        <Button type="submit" loading={create.isPending} w="fit-content">
          Create tenant
        </Button>
      </Stack>
    </Paper>
  );
}
