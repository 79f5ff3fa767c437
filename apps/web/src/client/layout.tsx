import type { Me } from '@pbx/contracts';
import { AppShell, Burger, Button, Group, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { call, paths } from './api.js';
import { roleLabel } from './session.js';

type Item = { to: string; label: string };

function navItems(me: Me, tenantId: string | null): Item[] {
  const items: Item[] = [];
  if (me.role === 'PLATFORM_ADMIN')
    items.push({ to: '/tenants', label: 'Tenants' }, { to: '/trunks', label: 'Trunks' });
  if (tenantId && me.role !== 'TENANT_USER') {
    const t = `/t/${tenantId}`;
    items.push({ to: `${t}/dashboard`, label: 'Dashboard' });
    items.push({ to: `${t}/extensions`, label: 'Extensions' }, { to: `${t}/ivr-menus`, label: 'IVR menus' });
    items.push(
      { to: `${t}/numbers`, label: 'Numbers' },
      { to: `${t}/ring-groups`, label: 'Ring groups' },
      { to: `${t}/time-conditions`, label: 'Time conditions' },
      { to: `${t}/voicemail`, label: 'Voicemail' },
      { to: `${t}/calls`, label: 'Call history' },
      { to: `${t}/audit-log`, label: 'Audit log' },
      { to: `${t}/users`, label: 'Users' },
      { to: `${t}/api-keys`, label: 'API keys' },
      { to: `${t}/settings`, label: 'Company settings' },
    );
  }
  if (me.role === 'TENANT_USER') items.push({ to: '/me', label: 'My phone' });
  // API keys have no password of their own.
  if (me.user) items.push({ to: '/account/password', label: 'Password' });
  return items;
}

export function Layout({ me }: { me: Me }) {
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const navigate = useNavigate();
  const queries = useQueryClient();
  // The tenant being looked at comes from the URL, so a platform admin can open any tenant.
  const tenantId = /^\/t\/([^/]+)/.exec(location.pathname)?.[1] ?? me.tenant?.id ?? null;

  const signOut = () => {
    void call(paths.logout, { method: 'POST' })
      .catch(() => undefined)
      .then(async () => {
        // Nothing of the signed-out account stays in the cache.
        queries.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
        queries.setQueryData(['me'], null);
        await navigate('/');
      });
  };

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <Text fw={700}>PBX portal</Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" data-testid="whoami" visibleFrom="sm">
              {me.user?.email ?? me.apiKey?.name} · {roleLabel(me)}
              {me.tenant ? ` · ${me.tenant.domain}` : ''}
            </Text>
            <Button variant="default" size="xs" onClick={signOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        {navItems(me, tenantId).map((item) => (
          <NavLink
            key={item.to}
            component={Link}
            to={item.to}
            label={item.label}
            active={location.pathname.startsWith(item.to)}
            onClick={close}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
