import { Alert, Group, Loader, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { errorText } from '../api.js';

/** A page's title, actions and body with its loading and error states. */
export function Page({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Title order={1} size="h2">
          {title}
        </Title>
        {actions}
      </Group>
      {children}
    </Stack>
  );
}

/** Loading spinner, or the error in words, or the content. */
export function Loaded<T>({
  query,
  children,
}: {
  query: { isPending: boolean; error: unknown; data: T | undefined };
  children: (data: T) => ReactNode;
}) {
  if (query.error)
    return (
      <Alert color="red" role="alert">
        {errorText(query.error)}
      </Alert>
    );
  if (query.isPending || query.data === undefined) return <Loader role="status" aria-label="Loading" />;
  return <>{children(query.data)}</>;
}
