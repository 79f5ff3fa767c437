import { InboundNumberSchema, UpdateInboundNumberBody, type InboundNumber } from '@pbx/contracts';
import { Badge, Button, Group, Paper, Stack, Switch, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { call, errorText, paths, request } from '../api.js';
import { useMe } from '../session.js';
import {
  describeDestination,
  fromDraft,
  toDraft,
  useTargets,
  type DraftDestination,
} from '../ui/destination.js';
import { FormStatus } from '../ui/form-status.js';
import { useFieldErrors } from '../ui/form.js';
import { Loaded, Page } from '../ui/page.js';
import { destinationFields } from '../ui/tenant.js';
import { AddNumber } from './number-add.js';
import { NumberRoutingFields } from './number-fields.js';
import { numberList } from '../ui/tenant-lists.js';

/**
 * The tenant's phone numbers (DIDs) and where each one's calls go. The platform assigns and releases the numbers:
 * the API lets only platform admins do that, so only they get "Add number" and "Release".
 */
export function NumbersPage() {
  const tenantId = useParams().tenantId ?? '';
  const platform = useMe().data?.role === 'PLATFORM_ADMIN';
  const list = numberList.use(tenantId);
  return (
    <Page title="Numbers">
      {platform && <AddNumber tenantId={tenantId} />}
      <Loaded query={list}>
        {(page) =>
          page.items.length === 0 ? (
            <Text>No phone numbers yet.{!platform && ' Your provider assigns numbers to this account.'}</Text>
          ) : (
            <Stack aria-label="Phone numbers" component="section">
              {page.items.map((n) => (
                <NumberRow
                  key={`${n.id}-${n.updatedAt}`}
                  tenantId={tenantId}
                  number={n}
                  canRelease={platform}
                />
              ))}
            </Stack>
          )
        }
      </Loaded>
    </Page>
  );
}

function NumberRow({
  tenantId,
  number,
  canRelease,
}: {
  tenantId: string;
  number: InboundNumber;
  canRelease: boolean;
}) {
  const [editing, setEditing] = useState(false);
  const [destination, setDestination] = useState<DraftDestination>(toDraft(number.destination));
  const [description, setDescription] = useState(number.description);
  const [enabled, setEnabled] = useState(number.enabled);
  const errors = useFieldErrors();
  const targets = useTargets(tenantId);
  const queries = useQueryClient();
  const save = useMutation({
    mutationFn: (body: unknown) =>
      request(InboundNumberSchema, `${paths.numbers(tenantId)}/${number.id}`, { method: 'PATCH', body }),
    onSuccess: async () => {
      setEditing(false);
      await queries.invalidateQueries({ queryKey: numberList.key(tenantId) });
    },
    onError: (e) => errors.show(e, ['description', ...destinationFields('destination')]),
  });
  const release = useMutation({
    mutationFn: () => call(`${paths.numbers(tenantId)}/${number.id}`, { method: 'DELETE' }),
    onSuccess: () => queries.invalidateQueries({ queryKey: numberList.key(tenantId) }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = errors.check(UpdateInboundNumberBody, {
      description,
      enabled,
      destination: fromDraft(destination) ?? undefined,
    });
    if (body) save.mutate(body);
  };
  return (
    <Paper withBorder p="sm" data-testid="number">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <div>
          <Text fw={700} ff="monospace">
            {number.e164} {!number.enabled && <Badge color="gray">off</Badge>}
          </Text>
          {number.description && <Text size="sm">{number.description}</Text>}
          <Text size="sm">Rings: {describeDestination(number.destination, targets)}</Text>
        </div>
        {!editing && (
          <Group gap="xs">
            <Button
              variant="default"
              size="xs"
              onClick={() => setEditing(true)}
              aria-label={`Change ${number.e164}`}
            >
              Change
            </Button>
            {canRelease && (
              <Button
                color="red"
                variant="outline"
                size="xs"
                loading={release.isPending}
                aria-label={`Release ${number.e164}`}
                onClick={() =>
                  window.confirm(
                    `Release ${number.e164}? Calls to it will no longer reach this account, and another account may get it.`,
                  ) && release.mutate()
                }
              >
                Release
              </Button>
            )}
          </Group>
        )}
      </Group>
      {release.error ? <FormStatus error={errorText(release.error)} /> : null}
      {editing && (
        <Stack mt="sm" component="form" onSubmit={submit} aria-label={`Routing of ${number.e164}`}>
          <NumberRoutingFields
            destination={destination}
            setDestination={setDestination}
            description={description}
            setDescription={setDescription}
            targets={targets}
            errorOf={errors.of}
          />
          <Switch
            label="Take calls"
            checked={enabled}
            onChange={(e) => setEnabled(e.currentTarget.checked)}
          />
          {errors.general && (
            <Text c="red" role="alert">
              {errors.general}
            </Text>
          )}
          <Group>
            <Button type="submit" loading={save.isPending}>
              Save
            </Button>
            <Button variant="subtle" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          </Group>
        </Stack>
      )}
    </Paper>
  );
}
