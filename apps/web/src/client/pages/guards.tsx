import type { Me } from '@pbx/contracts';
import { Alert, Anchor, Title } from '@mantine/core';
import { Link, Outlet, useParams } from 'react-router';

/**
 * Admin pages: a tenant user (or a tenant admin on another tenant's URL) gets a plain refusal, never the page;
 * the API refuses them anyway, this only keeps the screen honest.
 */
export function RequireAdmin({ me, platform = false }: { me: Me; platform?: boolean }) {
  const { tenantId } = useParams();
  const allowed =
    me.role === 'PLATFORM_ADMIN' ||
    (!platform && me.role === 'TENANT_ADMIN' && me.tenant !== null && me.tenant.id === tenantId);
  if (!allowed)
    return (
      <>
        <Title order={1}>Not available</Title>
        <Alert color="red" mt="md" title="This page is for administrators">
          Your account cannot open it.{' '}
          <Anchor component={Link} to="/">
            Go to your start page
          </Anchor>
          .
        </Alert>
      </>
    );
  return <Outlet />;
}

export function NotFound() {
  return (
    <>
      <Title order={1}>Page not found</Title>
      <Anchor component={Link} to="/">
        Go to your start page
      </Anchor>
    </>
  );
}
