import { Anchor, Button } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { DataTable, type Column } from './data-table.js';
import { Loaded, Page } from './page.js';

/**
 * A tenant's list of one kind of thing (ring groups, menus, boxes…): the page title with its "New …" button, the
 * loading and error states, and a table whose first column links to each item's own page (`${path}/${id}`), or
 * a sentence saying what the thing is for when there is none yet.
 */
export function ResourceListPage<T extends { id: string }>({
  title,
  path,
  newLabel,
  query,
  label,
  empty,
  link,
  columns,
}: {
  title: string;
  /** The list's URL; `${path}/new` creates one, `${path}/${id}` shows one. */
  path: string;
  newLabel: string;
  query: { isPending: boolean; error: unknown; data: { items: T[] } | undefined };
  /** The table's accessible name. */
  label: string;
  empty: string;
  /** The first column: the item's name, linked to its page. */
  link: { title: string; text: (row: T) => ReactNode };
  columns: Column<T>[];
}) {
  const linked: Column<T> = {
    title: link.title,
    cell: (row) => (
      <Anchor component={Link} to={`${path}/${row.id}`}>
        {link.text(row)}
      </Anchor>
    ),
  };
  return (
    <Page
      title={title}
      actions={
        <Button component={Link} to={`${path}/new`}>
          {newLabel}
        </Button>
      }
    >
      <Loaded query={query}>
        {(page) => <DataTable label={label} rows={page.items} empty={empty} columns={[linked, ...columns]} />}
      </Loaded>
    </Page>
  );
}
