import { CreateInboundNumberBody, InboundNumberSchema } from '@pbx/contracts';
import { Button, Group, Paper, Stack, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { paths, request } from '../api.js';
import { fromDraft, useTargets, type DraftDestination } from '../ui/destination.js';
import { FormStatus } from '../ui/form-status.js';
import { useFieldErrors } from '../ui/form.js';
import { destinationFields } from '../ui/tenant.js';
import { numberList } from '../ui/tenant-lists.js';
import { NumberRoutingFields } from './number-fields.js';

/**
 * "Add number" for platform admins (the API assigns numbers only for them): the E.164 number and where it rings,
 * checked with the contract first; the API's refusals (a number another tenant has) shown at the field.
 */
export function AddNumber({ tenantId }: { tenantId: string }) {
  const [open, setOpen] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  if (!open)
    return (
      <Stack gap="xs" align="flex-start">
        <Button
          onClick={() => {
            setAdded(null);
            setOpen(true);
          }}
        >
          Add number
        </Button>
        <FormStatus done={added && `${added} added.`} />
      </Stack>
    );
  return (
    <AddNumberForm
      tenantId={tenantId}
      onClose={(e164) => {
        setAdded(e164);
        setOpen(false);
      }}
    />
  );
}

function AddNumberForm({ tenantId, onClose }: { tenantId: string; onClose: (added: string | null) => void }) {
  const [e164, setE164] = useState('');
  const [description, setDescription] = useState('');
  const [destination, setDestination] = useState<DraftDestination>({ type: 'EXTENSION', value: '' });
  const errors = useFieldErrors();
  const targets = useTargets(tenantId);
  const queries = useQueryClient();
  const add = useMutation({
    mutationFn: (body: unknown) =>
      request(InboundNumberSchema, paths.numbers(tenantId), { method: 'POST', body }),
    onSuccess: async (row) => {
      await queries.invalidateQueries({ queryKey: numberList.key(tenantId) });
      onClose(row.e164);
    },
    onError: (e) => errors.show(e, ['e164', 'description', ...destinationFields('destination')]),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = errors.check(CreateInboundNumberBody, {
      e164: e164.trim(),
      description: description.trim() || undefined,
      destination: fromDraft(destination),
    });
    if (body) add.mutate(body);
  };
  return (
    <Paper withBorder p="sm">
      <Stack component="form" onSubmit={submit} aria-label="Add number">
        <Title order={2} size="h4">
          Add number
        </Title>
        <TextInput
          label="Number (E.164)"
          placeholder="+493012345678"
          value={e164}
          onChange={(e) => setE164(e.currentTarget.value)}
          error={errors.of('e164')}
        />
        <NumberRoutingFields
          destination={destination}
          setDestination={setDestination}
          description={description}
          setDescription={setDescription}
          targets={targets}
          errorOf={errors.of}
        />
        <FormStatus error={errors.general} />
        <Group>
          <Button type="submit" loading={add.isPending}>
            Add
          </Button>
          <Button variant="subtle" onClick={() => onClose(null)}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
