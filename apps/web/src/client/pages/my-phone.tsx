import { ExtensionSchema, type Me } from '@pbx/contracts';
import { Paper, Stack, Switch, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { errorText, paths, request } from '../api.js';
import { Loaded, Page } from '../ui/page.js';
import { VoicemailMessages } from '../ui/voicemail-messages.js';

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
        <VoicemailMessages tenantId={me.tenant.id} boxId={me.extension.voicemailBoxId} />
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
