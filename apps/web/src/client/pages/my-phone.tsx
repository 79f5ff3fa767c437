import { ExtensionSchema, VoicemailMessagePage, type Me } from '@pbx/contracts';
import { Alert, Button, Group, Paper, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { call, errorText, fetchBlob, paths, request } from '../api.js';
import { Loaded, Page } from '../ui/page.js';

/** A tenant user's own page: their extension's do-not-disturb and their voicemail. */
export function MyPhonePage({ me }: { me: Me }) {
  if (!me.tenant || !me.extension)
    return (
      <Page title="My phone">
        <Text>Your account has no extension yet; ask your administrator.</Text>
      </Page>
    );
  return (
    <Page title={`My phone · extension ${me.extension.number}`}>
      <Dnd tenantId={me.tenant.id} extensionId={me.extension.id} />
      {me.extension.voicemailBoxId ? (
        <Messages tenantId={me.tenant.id} boxId={me.extension.voicemailBoxId} />
      ) : (
        <Text>No voicemail box is attached to your extension.</Text>
      )}
      <Text size="sm" c="dimmed">
        Call history is shown to administrators only for now.
      </Text>
    </Page>
  );
}

function Dnd({ tenantId, extensionId }: { tenantId: string; extensionId: string }) {
  const url = paths.extension(tenantId, extensionId);
  const queries = useQueryClient();
  const ext = useQuery({
    queryKey: ['extension', tenantId, extensionId],
    queryFn: () => request(ExtensionSchema, url),
  });
  const set = useMutation({
    mutationFn: (dnd: boolean) =>
      request(ExtensionSchema, `${url}/settings`, { method: 'PATCH', body: { dnd } }),
    onSuccess: (x) => queries.setQueryData(['extension', tenantId, extensionId], x),
  });
  return (
    <Paper withBorder p="md">
      <Loaded query={ext}>
        {(x) => (
          <Stack>
            <Text>
              {x.displayName} · SIP user {x.sip.username}@{x.sip.domain}
            </Text>
            <Switch
              label="Do not disturb"
              checked={x.dnd}
              onChange={(e) => set.mutate(e.currentTarget.checked)}
            />
            {set.error && (
              <Text c="red" role="alert">
                {errorText(set.error)}
              </Text>
            )}
          </Stack>
        )}
      </Loaded>
    </Paper>
  );
}

function Messages({ tenantId, boxId }: { tenantId: string; boxId: string }) {
  const base = `${paths.box(tenantId, boxId)}/messages`;
  const queries = useQueryClient();
  const [playing, setPlaying] = useState<{ id: string; url: string } | null>(null);
  const list = useQuery({
    queryKey: ['messages', tenantId, boxId],
    queryFn: () => request(VoicemailMessagePage, `${base}?limit=100`),
  });
  const play = useMutation({
    mutationFn: async (id: string) => ({
      id,
      url: URL.createObjectURL(await fetchBlob(`${base}/${id}/audio`)),
    }),
    onSuccess: setPlaying,
  });
  const remove = useMutation({
    mutationFn: (id: string) => call(`${base}/${id}`, { method: 'DELETE' }),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['messages', tenantId, boxId] }),
  });
  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={2} size="h4">
          Voicemail
        </Title>
        <Loaded query={list}>
          {(page) =>
            page.items.length === 0 ? (
              <Text>No messages.</Text>
            ) : (
              <Table.ScrollContainer minWidth={300}>
                <Table aria-label="Voicemail messages">
                  <Table.Tbody>
                    {page.items.map((m) => (
                      <Table.Tr key={m.id}>
                        <Table.Td>
                          {m.read ? '' : '● '}
                          {m.callerIdName || m.callerIdNumber} · {new Date(m.createdAt).toLocaleString()} ·{' '}
                          {m.durationSec}s
                        </Table.Td>
                        <Table.Td>
                          <Group gap="xs" wrap="nowrap">
                            <Button size="compact-sm" variant="default" onClick={() => play.mutate(m.id)}>
                              Play
                            </Button>
                            <Button
                              size="compact-sm"
                              variant="subtle"
                              color="red"
                              onClick={() => remove.mutate(m.id)}
                            >
                              Delete
                            </Button>
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
        {playing && <audio controls autoPlay src={playing.url} aria-label="Voicemail playback" />}
        {(play.error ?? remove.error) && <Alert color="red">{errorText(play.error ?? remove.error)}</Alert>}
      </Stack>
    </Paper>
  );
}
