import { Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** Under a form: the error not tied to any field, or the confirmation that it worked. */
export function FormStatus({ error, done }: { error?: string | null; done?: ReactNode }) {
  if (error)
    return (
      <Text c="red" role="alert">
        {error}
      </Text>
    );
  if (done)
    return (
      // teal.9 on white is 5:1 (Mantine's plain green is below WCAG AA's 4.5:1 for text).
      <Text c="teal.9" role="status">
        {done}
      </Text>
    );
  return null;
}

/** A bordered section of a page under its own heading (which names it for screen readers too). */
export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" component="section" aria-label={title}>
      <Stack>
        <Title order={2} size="h4">
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}
