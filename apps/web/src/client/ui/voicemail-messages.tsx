import { VoicemailMessagePage, VoicemailMessageSchema, type VoicemailMessage } from '@pbx/contracts';
import { Alert, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { call, errorText, fetchBlob, paths, request } from '../api.js';
import { useDateFormat } from './dates.js';
import { Loaded } from './page.js';

/** The e-mail delivery of one message, in words. */
function emailState(
  m: VoicemailMessage,
  date: (when: string) => string,
): { text: string; color: string; resend: boolean } {
  const e = m.email;
  switch (e.state) {
    case 'not_required':
      return { text: 'no e-mail address', color: 'gray', resend: false };
    case 'queued':
    case 'sending':
      return { text: 'e-mail being sent', color: 'blue', resend: false };
    case 'retrying':
      return { text: `e-mail retrying (${e.error ?? 'server busy'})`, color: 'yellow', resend: false };
    case 'sent':
      return {
        text: `e-mailed ${e.sentAt ? date(e.sentAt) : ''}`,
        color: 'green',
        resend: true,
      };
    case 'failed':
      return { text: `e-mail failed: ${e.error ?? 'unknown reason'}`, color: 'red', resend: true };
  }
}

/** A box's messages: played here, downloaded, marked read or unread, deleted, e-mailed again. */
export function VoicemailMessages({ tenantId, boxId }: { tenantId: string; boxId: string }) {
  const base = `${paths.box(tenantId, boxId)}/messages`;
  const key = ['messages', tenantId, boxId];
  const date = useDateFormat(tenantId);
  const queries = useQueryClient();
  const [playing, setPlaying] = useState<{ id: string; url: string } | null>(null);
  useEffect(() => () => void (playing && URL.revokeObjectURL(playing.url)), [playing]);
  const list = useQuery({
    queryKey: key,
    queryFn: () => request(VoicemailMessagePage, `${base}?limit=100`),
  });
  const refresh = () => queries.invalidateQueries({ queryKey: key });
  const play = useMutation({
    mutationFn: async (id: string) => ({
      id,
      url: URL.createObjectURL(await fetchBlob(`${base}/${id}/audio`)),
    }),
    onSuccess: async (p) => {
      setPlaying(p);
      // Listening to a message is reading it.
      const m = list.data?.items.find((x) => x.id === p.id);
      if (m && !m.read)
        await request(VoicemailMessageSchema, `${base}/${p.id}`, { method: 'PATCH', body: { read: true } });
      await refresh();
    },
  });
  const mark = useMutation({
    mutationFn: ({ id, read }: { id: string; read: boolean }) =>
      request(VoicemailMessageSchema, `${base}/${id}`, { method: 'PATCH', body: { read } }),
    onSuccess: refresh,
  });
  const resend = useMutation({
    mutationFn: (id: string) =>
      request(VoicemailMessageSchema, `${base}/${id}/resend-email`, { method: 'POST' }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => call(`${base}/${id}`, { method: 'DELETE' }),
    onSuccess: refresh,
  });
  const failed = play.error ?? mark.error ?? resend.error ?? remove.error;

  return (
    <Paper withBorder p="md" component="section" aria-label="Voicemail messages">
      <Stack>
        <Title order={2} size="h4">
          Messages
        </Title>
        <Loaded query={list}>
          {(page) =>
            page.items.length === 0 ? (
              <Text>No messages.</Text>
            ) : (
              <Table.ScrollContainer minWidth={300}>
                <Table aria-label="Messages">
                  <Table.Tbody>
                    {page.items.map((m) => {
                      const email = emailState(m, date);
                      const who = m.callerIdName || m.callerIdNumber || 'unknown caller';
                      return (
                        <Table.Tr key={m.id} data-testid="voicemail-message">
                          <Table.Td>
                            <Text fw={m.read ? 400 : 700} size="sm">
                              {m.read ? '' : 'New · '}
                              {who}
                              {m.callerIdName && m.callerIdNumber ? ` (${m.callerIdNumber})` : ''}
                            </Text>
                            <Text size="xs" c="dimmed">
                              {date(m.createdAt)} · {m.durationSec} s
                            </Text>
                            <Text size="xs" c={`${email.color}.9`} fw={600}>
                              {email.text}
                            </Text>
                          </Table.Td>
                          <Table.Td>
                            <Group gap={6}>
                              <Button
                                size="compact-sm"
                                onClick={() => play.mutate(m.id)}
                                aria-label={`Play message from ${who}`}
                              >
                                Play
                              </Button>
                              <Button
                                size="compact-sm"
                                variant="default"
                                component="a"
                                href={`${base}/${m.id}/audio`}
                                download
                              >
                                Download
                              </Button>
                              <Button
                                size="compact-sm"
                                variant="default"
                                onClick={() => mark.mutate({ id: m.id, read: !m.read })}
                              >
                                {m.read ? 'Mark unread' : 'Mark read'}
                              </Button>
                              {email.resend && (
                                <Button
                                  size="compact-sm"
                                  variant="default"
                                  onClick={() => resend.mutate(m.id)}
                                >
                                  Send e-mail again
                                </Button>
                              )}
                              <Button
                                size="compact-sm"
                                variant="subtle"
                                color="red"
                                onClick={() =>
                                  window.confirm(`Delete the message from ${who}?`) && remove.mutate(m.id)
                                }
                              >
                                Delete
                              </Button>
                            </Group>
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )
          }
        </Loaded>
        {playing && (
          <audio
            controls
            autoPlay
            src={playing.url}
            aria-label="Voicemail playback"
            data-testid="voicemail-audio"
          />
        )}
        {failed && (
          <Alert color="red" role="alert">
            {errorText(failed)}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
