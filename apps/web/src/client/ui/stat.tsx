import { Paper, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** One figure of a dashboard: what it counts, the number (or a dash while loading), and a line under it. */
export function Stat({ label, value, note }: { label: string; value: number | undefined; note?: ReactNode }) {
  return (
    <Paper withBorder p="md" component="section" aria-label={label} miw={150} style={{ flex: '1 1 150px' }}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl" data-testid={`stat-${label}`}>
        {value ?? '–'}
      </Text>
      {note && (
        <Text size="xs" c="dimmed">
          {note}
        </Text>
      )}
    </Paper>
  );
}
