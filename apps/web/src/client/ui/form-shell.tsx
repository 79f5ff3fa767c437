import { Anchor, Button, Group } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { errorText, request } from '../api.js';
import { FormStatus } from './form-status.js';
import { Loaded, Page } from './page.js';

/**
 * One thing's page (a ring group, a box…) or the page creating one (`id` is "new": nothing is fetched): the
 * title, the way back to the list, and the thing once loaded (null while creating). Key the form inside by the
 * thing's id, not its updatedAt: the refetch after a save would otherwise remount it and wipe its "Saved.".
 */
export function ResourcePage<S extends z.ZodType>({
  schema,
  url,
  queryKey,
  id,
  title,
  back,
  children,
}: {
  schema: S;
  /** The thing's API URL. */
  url: string;
  queryKey: readonly unknown[];
  id: string;
  /** The page's title: the thing not loaded yet is undefined. */
  title: (item: z.infer<S> | undefined, isNew: boolean) => string;
  back: { to: string; label: string };
  children: (item: z.infer<S> | null) => ReactNode;
}) {
  const isNew = id === 'new';
  const query = useQuery({ queryKey, queryFn: () => request(schema, url), enabled: !isNew });
  return (
    <Page title={title(query.data, isNew)}>
      <Anchor component={Link} to={back.to}>
        ← {back.label}
      </Anchor>
      {isNew ? children(null) : <Loaded query={query}>{children}</Loaded>}
    </Page>
  );
}

/**
 * The end of a create-or-edit form: what went wrong (or "Saved."), the submit button, and for an existing thing a
 * delete button that asks first, with the reason when deleting is refused.
 */
export function FormFooter({
  error,
  saved,
  submitLabel,
  saving,
  remove,
}: {
  error: string | null;
  saved: boolean;
  submitLabel: string;
  saving: boolean;
  remove?: {
    label: string;
    /** The question asked before deleting. */
    confirm: string;
    pending: boolean;
    error: unknown;
    run: () => void;
  } | null;
}) {
  return (
    <>
      <FormStatus error={error} done={saved && 'Saved.'} />
      <Group>
        <Button type="submit" loading={saving}>
          {submitLabel}
        </Button>
        {remove && (
          <Button
            color="red"
            variant="outline"
            loading={remove.pending}
            onClick={() => window.confirm(remove.confirm) && remove.run()}
          >
            {remove.label}
          </Button>
        )}
      </Group>
      {remove?.error ? <FormStatus error={errorText(remove.error)} /> : null}
    </>
  );
}
