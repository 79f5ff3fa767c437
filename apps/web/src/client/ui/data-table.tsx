import { Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';

export type Column<T> = { title: string; cell: (row: T) => ReactNode };

/** A list page's table: labelled, scrolling inside itself on a phone, and a sentence when there is nothing. */
export function DataTable<T extends { id: string }>({
  label,
  rows,
  columns,
  empty,
}: {
  label: string;
  rows: T[];
  columns: Column<T>[];
  empty: string;
}) {
  if (rows.length === 0) return <Text>{empty}</Text>;
  return (
    <Table.ScrollContainer minWidth={320}>
      <Table aria-label={label} striped>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) => (
              <Table.Th key={c.title}>{c.title}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.id}>
              {columns.map((c) => (
                <Table.Td key={c.title}>{c.cell(r)}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
