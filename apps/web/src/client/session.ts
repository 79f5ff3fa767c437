import { MeSchema, type Me } from '@pbx/contracts';
import { useQuery } from '@tanstack/react-query';
import { ApiError, paths, request } from './api.js';

/** Who is signed in: the Me answer, null when nobody is (401). */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async (): Promise<Me | null> => {
      try {
        return await request(MeSchema, paths.me);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

export const isAdmin = (me: Me) => me.role === 'PLATFORM_ADMIN' || me.role === 'TENANT_ADMIN';

export function roleLabel(me: Me): string {
  return { PLATFORM_ADMIN: 'platform admin', TENANT_ADMIN: 'tenant admin', TENANT_USER: 'user' }[me.role];
}
