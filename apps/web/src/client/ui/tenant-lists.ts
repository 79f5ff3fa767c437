import {
  ExtensionPage,
  InboundNumberPage,
  IvrMenuPage,
  RingGroupPage,
  TimeConditionPage,
  VoicemailBoxPage,
} from '@pbx/contracts';
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { paths, request } from '../api.js';

/**
 * A tenant's lists that several pages read (a list page, the destination pickers, the set-up steps, "Try it"): one
 * query per list and tenant, under one key, so they share the cache and a write invalidates every reader.
 */
function tenantList<S extends z.ZodType>(name: string, schema: S, path: (tenantId: string) => string) {
  const key = (tenantId: string) => [name, tenantId] as const;
  const use = (tenantId: string) =>
    useQuery({
      queryKey: key(tenantId),
      // The API's largest page: a small business has far fewer of each.
      queryFn: () => request(schema, `${path(tenantId)}?limit=200`),
    });
  return { key, use };
}

export const boxList = tenantList('boxes', VoicemailBoxPage, paths.boxes);
export const menuList = tenantList('menus', IvrMenuPage, paths.menus);
export const ringGroupList = tenantList('ring-groups', RingGroupPage, paths.ringGroups);
export const timeConditionList = tenantList('time-conditions', TimeConditionPage, paths.timeConditions);
export const numberList = tenantList('numbers', InboundNumberPage, paths.numbers);

/** The extensions, optionally searched (the extensions page's box); the pickers and the set-up steps read all. */
export function useExtensions(tenantId: string, search = '') {
  return useQuery({
    queryKey: ['extensions', tenantId, search],
    queryFn: () =>
      request(
        ExtensionPage,
        `${paths.extensions(tenantId)}?limit=200${search ? `&search=${encodeURIComponent(search)}` : ''}`,
      ),
  });
}
