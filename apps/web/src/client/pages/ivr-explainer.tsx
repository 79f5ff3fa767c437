import {
  ExplainCallBody,
  ExplainCallResultSchema,
  type ExplainCallResult,
  type IvrMenu,
} from '@pbx/contracts';
import { Autocomplete, Button, Code, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { paths, request } from '../api.js';
import { useFieldErrors } from '../ui/form.js';
import { useTenantZone, zonedToIso } from '../ui/dates.js';
import { numberList } from '../ui/tenant-lists.js';

/**
 * "Try it": what a caller meets when dialing the menu and pressing keys, from the API's route explainer (the
 * routing engine's dry run on the saved configuration; nothing is dialed).
 */
export function Explainer({ tenantId, menu }: { tenantId: string; menu: IvrMenu }) {
  const [from, setFrom] = useState('+4930000000');
  // Untouched, it is the menu's number, else the first of the tenant's phone numbers.
  const [typed, setTo] = useState<string | null>(null);
  const [when, setWhen] = useState('');
  const [keys, setKeys] = useState(menu.options[0]?.digits ?? '');
  const errors = useFieldErrors();
  const timeZone = useTenantZone(tenantId);
  // The tenant's phone numbers are offered as what to dial: the menu is usually reached through one of them.
  const numbers = numberList.use(tenantId).data?.items ?? [];
  const to = typed ?? menu.number ?? numbers[0]?.e164 ?? '';
  const dialable = [...(menu.number ? [menu.number] : []), ...numbers.map((n) => n.e164)];
  const run = useMutation({
    mutationFn: (body: unknown) =>
      request(ExplainCallResultSchema, paths.explain(tenantId), { method: 'POST', body }),
    onError: (e) => errors.show(e, ['from', 'to', 'at', 'presses.0']),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const dialled = to.trim();
    // One of the tenant's phone numbers is called from outside; anything else is dialled on the tenant's phones.
    const context = numbers.some((n) => n.e164 === dialled) ? 'public' : 'tenant';
    // Text that is no time goes as typed, so the contract names the field.
    const at = when ? (zonedToIso(when, timeZone) ?? when) : undefined;
    const body = errors.check(ExplainCallBody, { from, to: dialled, context, at, presses: [keys] });
    if (body) run.mutate(body);
  };
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-label="Try it">
      <Stack>
        <Title order={2} size="h4">
          Try it
        </Title>
        <Text size="sm">
          What a caller meets, without placing a call: choose a phone number of yours (or the menu’s own
          number), when the call happens, and the keys pressed.
        </Text>
        <Group grow wrap="wrap" align="flex-start">
          <TextInput
            label="Caller"
            description="An extension or an outside number"
            value={from}
            onChange={(e) => setFrom(e.currentTarget.value)}
            error={errors.of('from')}
            miw={150}
          />
          <Autocomplete
            label="Dials"
            description="One of your phone numbers, or the menu’s number"
            data={dialable}
            value={to}
            onChange={setTo}
            error={errors.of('to')}
            miw={150}
          />
          <TextInput
            type="datetime-local"
            label="When"
            description={`In ${timeZone ?? 'the company’s time zone'}; empty: now`}
            value={when}
            onChange={(e) => setWhen(e.currentTarget.value)}
            error={errors.of('at')}
            miw={150}
          />
          <TextInput
            label="Presses"
            description="Empty: presses nothing"
            value={keys}
            onChange={(e) => setKeys(e.currentTarget.value)}
            error={errors.of('presses.0')}
            miw={100}
          />
        </Group>
        <Button type="submit" w="fit-content" loading={run.isPending}>
          Try it
        </Button>
        {errors.general && (
          <Text c="red" role="alert">
            {errors.general}
          </Text>
        )}
        {run.data && <Result result={run.data} timeZone={timeZone} />}
      </Stack>
    </Paper>
  );
}

function Result({ result, timeZone }: { result: ExplainCallResult; timeZone: string | undefined }) {
  const at = new Date(result.at).toLocaleString(undefined, {
    timeZone,
    dateStyle: 'full',
    timeStyle: 'short',
  });
  const lines = [
    `${at}${timeZone ? ` (${timeZone})` : ''}:`,
    ...result.text,
    ...result.menus.flatMap((m) => [
      `in ${m.menuName}, pressed ${m.pressed === '' ? 'nothing' : m.pressed} (${m.outcome}):`,
      ...m.text.map((l) => `  ${l}`),
    ]),
  ];
  return (
    <Code block data-testid="explain-result" aria-label="What happens">
      {lines.join('\n')}
    </Code>
  );
}
