import {
  ExplainCallBody,
  ExplainCallResultSchema,
  type ExplainCallResult,
  type IvrMenu,
} from '@pbx/contracts';
import { Button, Code, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { paths, request } from '../api.js';
import { useFieldErrors } from '../ui/form.js';

/**
 * "Try it": what a caller meets when dialing the menu and pressing keys, from the API's route explainer (the
 * routing engine's dry run on the saved configuration; nothing is dialed).
 */
export function Explainer({ tenantId, menu }: { tenantId: string; menu: IvrMenu }) {
  const [from, setFrom] = useState('+4930000000');
  const [to, setTo] = useState(menu.number ?? '');
  const [keys, setKeys] = useState(menu.options[0]?.digits ?? '');
  const errors = useFieldErrors();
  const run = useMutation({
    mutationFn: (body: unknown) =>
      request(ExplainCallResultSchema, paths.explain(tenantId), { method: 'POST', body }),
    onError: (e) => errors.show(e, ['from', 'to', 'presses.0']),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = errors.check(ExplainCallBody, { from, to, presses: [keys] });
    if (body) run.mutate(body);
  };
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-label="Try it">
      <Stack>
        <Title order={2} size="h4">
          Try it
        </Title>
        {!menu.number && (
          <Text size="sm">
            Give the menu a number (or dial the inbound number that leads to it) to try it.
          </Text>
        )}
        <Group grow wrap="wrap" align="flex-start">
          <TextInput
            label="Caller"
            description="An extension or an outside number"
            value={from}
            onChange={(e) => setFrom(e.currentTarget.value)}
            error={errors.of('from')}
            miw={150}
          />
          <TextInput
            label="Dials"
            description="The menu's number or an inbound number"
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
            error={errors.of('to')}
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
        {run.data && <Result result={run.data} />}
      </Stack>
    </Paper>
  );
}

function Result({ result }: { result: ExplainCallResult }) {
  const lines = [
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
