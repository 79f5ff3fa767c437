import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { z } from 'zod';
import { call, request } from '../api.js';

/**
 * Creating, changing and deleting one thing of a tenant's list (a ring group, a box…): POST to the collection or
 * PATCH the item, then the list and the item are fetched again and a new one's own page opens; deleting goes
 * back to the list, fetched again first: a list that is not on screen is only marked stale by a plain
 * invalidation, and would show the deleted thing until its background refetch. `saved` says the last save worked
 * until the next submit clears it.
 */
export function useResourceWrite<S extends z.ZodType<{ id: string }>>({
  schema,
  apiPath,
  existingId,
  listKey,
  itemKey,
  pagePath,
  onError,
}: {
  schema: S;
  /** The API's collection URL; the item is `${apiPath}/${id}`. */
  apiPath: string;
  /** null while creating. */
  existingId: string | null;
  listKey: readonly unknown[];
  itemKey: (id: string) => readonly unknown[];
  /** The portal's list page; a thing's own page is `${pagePath}/${id}`. */
  pagePath: string;
  onError: (error: unknown) => void;
}) {
  const [saved, setSaved] = useState(false);
  const queries = useQueryClient();
  const navigate = useNavigate();
  const itemUrl = (id: string) => `${apiPath}/${encodeURIComponent(id)}`;
  const save = useMutation({
    mutationFn: (body: unknown) =>
      existingId
        ? request(schema, itemUrl(existingId), { method: 'PATCH', body })
        : request(schema, apiPath, { method: 'POST', body }),
    onSuccess: async (item: z.infer<S>) => {
      setSaved(true);
      await queries.invalidateQueries({ queryKey: listKey });
      await queries.invalidateQueries({ queryKey: itemKey(item.id) });
      if (!existingId) await navigate(`${pagePath}/${item.id}`);
    },
    onError,
  });
  const remove = useMutation({
    mutationFn: () => call(itemUrl(existingId ?? ''), { method: 'DELETE' }),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: listKey, refetchType: 'all' });
      await navigate(pagePath);
    },
  });
  return { save, remove, saved, setSaved };
}
