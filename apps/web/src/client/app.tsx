import { MeSchema, type Me } from '@pbx/contracts';
import { useCallback, useEffect, useState } from 'react';
import { z } from 'zod';
import { ApiError, paths, request } from './api.js';
import { Login } from './login.js';
import { TenantView } from './tenant-view.js';
import { TenantsList } from './tenants-list.js';

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [tenant, setTenant] = useState<{ id: string; name: string; domain: string } | null>(null);

  const refresh = useCallback(() => {
    request(MeSchema, paths.me).then(
      (who) => {
        setMe(who);
        setTenant(who.tenant);
      },
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 401) setMe(null);
        else setMe(null);
      },
    );
  }, []);
  useEffect(refresh, [refresh]);

  if (me === undefined) return <main>Loading…</main>;
  if (me === null) return <Login onLoggedIn={refresh} />;

  const logout = () => {
    void request(z.unknown(), paths.logout, { method: 'POST' }).finally(() => {
      setMe(null);
      setTenant(null);
    });
  };

  return (
    <>
      <header>
        <strong>PBX portal</strong>
        <span>
          <span data-testid="whoami">
            {me.user?.email ?? me.apiKey?.name} · {me.role.replace('_', ' ').toLowerCase()}
            {me.tenant ? ` · ${me.tenant.domain}` : ''}
          </span>{' '}
          <button onClick={logout}>Sign out</button>
        </span>
      </header>
      <main>
        {tenant ? (
          <TenantView
            tenant={tenant}
            onBack={me.role === 'PLATFORM_ADMIN' ? () => setTenant(null) : undefined}
          />
        ) : me.role === 'PLATFORM_ADMIN' ? (
          <TenantsList onOpen={setTenant} />
        ) : (
          <div className="card">Your account is not attached to a tenant.</div>
        )}
      </main>
    </>
  );
}
