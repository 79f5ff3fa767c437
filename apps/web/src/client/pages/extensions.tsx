import { CreateExtensionBody, ExtensionWithPasswordSchema, type Extension } from '@pbx/contracts';
import { Anchor, Badge, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import type { z } from 'zod';
import { paths, request } from '../api.js';
import { Credentials } from '../ui/credentials.js';
import { SetupSteps } from '../ui/setup-steps.js';
import { useExtensions } from '../ui/tenant-lists.js';
import { useFieldErrors } from '../ui/form.js';
import { Loaded, Page } from '../ui/page.js';

type Created = z.infer<typeof ExtensionWithPasswordSchema>;

export function ExtensionsPage() {
  const tenantId = useParams().tenantId ?? '';
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const list = useExtensions(tenantId, debounced);
  const [created, setCreated] = useState<Created | null>(null);
  return (
    <Page title="Extensions">
      {created && <Credentials ext={created} onDone={() => setCreated(null)} />}
      <SetupSteps tenantId={tenantId} />
      <TextInput
        label="Search extensions"
        placeholder="Number or name"
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
      />
      <Loaded query={list}>
        {(page) =>
          page.items.length === 0 ? (
            <Text>
              {debounced ? 'No extension matches.' : 'No extensions yet: create the first one below.'}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={300}>
              <Table aria-label="Extensions" striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Number</Table.Th>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Status</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((x: Extension) => (
                    <Table.Tr key={x.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/t/${tenantId}/extensions/${x.id}`}>
                          {x.number}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{x.displayName}</Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {!x.enabled && (
                            <Badge color="gray" variant="dot">
                              disabled
                            </Badge>
                          )}
                          {x.dnd && (
                            <Badge color="orange" variant="dot">
                              do not disturb
                            </Badge>
                          )}
                          {/* Calls reach voicemail only with a box: a new extension has voicemail on but no box yet. */}
                          {x.voicemailEnabled && x.voicemailBoxId && <Badge variant="dot">voicemail</Badge>}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </Loaded>
      <NewExtension tenantId={tenantId} onCreated={setCreated} />
    </Page>
  );
}

function NewExtension({ tenantId, onCreated }: { tenantId: string; onCreated: (c: Created) => void }) {
  const [number, setNumber] = useState('');
  const [displayName, setDisplayName] = useState('');
  const errors = useFieldErrors();
  const queries = useQueryClient();
  const create = useMutation({
    mutationFn: (body: unknown) =>
      request(ExtensionWithPasswordSchema, paths.extensions(tenantId), { method: 'POST', body }),
    onSuccess: async (ext) => {
      onCreated(ext);
      // Extensions are usually made in a run (101, 102, …): the next one is offered.
      setNumber(nextNumber(ext.number));
      setDisplayName('');
      window.scrollTo({ top: 0 });
      await queries.invalidateQueries({ queryKey: ['extensions', tenantId] });
    },
    onError: (error) => errors.show(error, ['number', 'displayName']),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = errors.check(CreateExtensionBody, { number, displayName });
    if (body) create.mutate(body);
  };
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-label="New extension">
      <Stack>
        <Title order={2} size="h3">
          New extension
        </Title>
        <TextInput
          label="Number"
          description="2 to 8 digits, dialled internally"
          inputMode="numeric"
          value={number}
          onChange={(e) => setNumber(e.currentTarget.value)}
          error={errors.of('number')}
        />
        <TextInput
          label="Display name"
          value={displayName}
          onChange={(e) => setDisplayName(e.currentTarget.value)}
          error={errors.of('displayName')}
        />
        {errors.general && (
          <Text c="red" role="alert">
            {errors.general}
          </Text>
        )}
        <Button type="submit" loading={create.isPending} w="fit-content">
          Create extension
        </Button>
      </Stack>
    </Paper>
  );
}

/** The number after `n`, as long as it still has as many digits ("109" → "110", "999" → ""). */
function nextNumber(n: string): string {
  const next = String(Number(n) + 1).padStart(n.length, '0');
  return /^\d+$/.test(n) && next.length === n.length ? next : '';
}
