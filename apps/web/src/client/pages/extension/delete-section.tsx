import type { Extension } from '@pbx/contracts';
import { Alert, Anchor, Button, Group, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError, call, errorText, paths } from '../../api.js';
import { Section } from '../../ui/form-status.js';

type Referrer = { entityType: string; id: string; name: string; field: string };

const KIND: Record<string, [string, string | null]> = {
  'ivr-menu': ['IVR menu', 'ivr-menus'],
  'ring-group': ['Ring group', null],
  'voicemail-box': ['Voicemail box', null],
  'inbound-number': ['Phone number', null],
  'time-condition': ['Time condition', null],
  extension: ['Extension', 'extensions'],
};
const FIELD: Record<string, string> = {
  members: 'rings it as a member',
  fallback: 'sends calls here when nobody answers',
  destination: 'rings it',
  timeoutDestination: 'sends callers here when they press nothing',
  invalidDestination: 'sends callers here after a wrong key',
  match: 'sends calls here in its hours',
  noMatch: 'sends calls here outside its hours',
  forwardAlways: 'forwards all calls here',
  forwardBusy: 'forwards calls here when busy',
  forwardNoAnswer: 'forwards calls here when not answered',
};

/** Deleting asks for the number typed, and, when something still routes here, lists it (the API's REFERENCED). */
export function DeleteSection({ tenantId, ext }: { tenantId: string; ext: Extension }) {
  const [typed, setTyped] = useState('');
  const queries = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: () => call(paths.extension(tenantId, ext.id), { method: 'DELETE' }),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ['extensions', tenantId], refetchType: 'all' });
      await navigate(`/t/${tenantId}/extensions`);
    },
  });
  const refs = remove.error instanceof ApiError ? remove.error.details.referrers : undefined;
  const list = Array.isArray(refs) ? (refs as Referrer[]) : null;

  return (
    <Section title="Delete">
      <Text size="sm">
        Its phone stops working and its calls cannot be recovered. Type {ext.number} to confirm.
      </Text>
      <Group align="flex-end" wrap="wrap">
        <TextInput
          label="Extension number to delete"
          value={typed}
          onChange={(e) => setTyped(e.currentTarget.value)}
          miw={150}
        />
        <Button
          color="red"
          variant="outline"
          disabled={typed !== ext.number}
          loading={remove.isPending}
          onClick={() => remove.mutate()}
        >
          Delete extension
        </Button>
      </Group>
      {remove.error && (
        <Alert color="red" role="alert" title="Not deleted">
          {list ? 'These still send calls here; point them elsewhere first:' : errorText(remove.error)}
          {list && (
            <ul data-testid="referrers">
              {list.map((r) => {
                const [kind, route] = KIND[r.entityType] ?? [r.entityType, null];
                const what = `${kind} “${r.name}”`;
                const why =
                  FIELD[r.field] ??
                  (r.field.startsWith('options[') ? `key ${r.field.slice(8, -1)} rings it` : r.field);
                return (
                  <li key={`${r.entityType}-${r.id}-${r.field}`}>
                    {route ? (
                      <Anchor component={Link} to={`/t/${tenantId}/${route}/${r.id}`}>
                        {what}
                      </Anchor>
                    ) : (
                      what
                    )}{' '}
                    {why}
                  </li>
                );
              })}
            </ul>
          )}
        </Alert>
      )}
    </Section>
  );
}
