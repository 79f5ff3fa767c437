import { Center, Loader } from '@mantine/core';
import { Navigate, Route, Routes } from 'react-router';
import { Layout } from './layout.js';
import { ApiKeysPage } from './pages/api-keys.js';
import { DashboardPage } from './pages/dashboard.js';
import { ExtensionPage } from './pages/extension.js';
import { ExtensionsPage } from './pages/extensions.js';
import { IvrMenuPage } from './pages/ivr-menu.js';
import { IvrMenusPage } from './pages/ivr-menus.js';
import { LoginPage } from './pages/login.js';
import { MyPhonePage } from './pages/my-phone.js';
import { PasswordPage } from './pages/password.js';
import { NotFound, RequireAdmin } from './pages/guards.js';
import { TenantSettingsPage } from './pages/tenant-settings.js';
import { UserPage } from './pages/user.js';
import { UsersPage } from './pages/users.js';
import { TenantsPage } from './pages/tenants.js';
import { TrunkPage } from './pages/trunk.js';
import { TrunksPage } from './pages/trunks.js';
import { AuditLogPage } from './pages/audit-log.js';
import { CallHistoryPage } from './pages/call-history.js';
import { NumbersPage } from './pages/numbers.js';
import { RingGroupPage } from './pages/ring-group.js';
import { RingGroupsPage } from './pages/ring-groups.js';
import { TimeConditionPage } from './pages/time-condition.js';
import { TimeConditionsPage } from './pages/time-conditions.js';
import { VoicemailBoxPage } from './pages/voicemail-box.js';
import { VoicemailBoxesPage } from './pages/voicemail-boxes.js';
import { useMe } from './session.js';

/** Where someone lands after signing in. */
function Home() {
  const me = useMe().data;
  if (!me) return <Navigate to="/login" replace />;
  if (me.role === 'PLATFORM_ADMIN') return <Navigate to="/tenants" replace />;
  if (me.role === 'TENANT_ADMIN' && me.tenant)
    return <Navigate to={`/t/${me.tenant.id}/extensions`} replace />;
  return <Navigate to="/me" replace />;
}

export function App() {
  const me = useMe();
  if (me.isPending)
    return (
      <Center h="100vh">
        <Loader role="status" aria-label="Loading" />
      </Center>
    );
  if (!me.data)
    return (
      <Routes>
        <Route path="*" element={<LoginPage />} />
      </Routes>
    );
  return (
    <Routes>
      <Route path="/login" element={<Navigate to="/" replace />} />
      <Route element={<Layout me={me.data} />}>
        <Route index element={<Home />} />
        <Route path="me" element={<MyPhonePage me={me.data} />} />
        <Route path="account/password" element={<PasswordPage />} />
        <Route element={<RequireAdmin me={me.data} platform />}>
          <Route path="tenants" element={<TenantsPage />} />
          <Route path="trunks" element={<TrunksPage />} />
          <Route path="trunks/:gatewayId" element={<TrunkPage />} />
        </Route>
        <Route path="t/:tenantId" element={<RequireAdmin me={me.data} />}>
          <Route index element={<Navigate to="extensions" replace />} />
          <Route path="extensions" element={<ExtensionsPage />} />
          <Route path="extensions/:extensionId" element={<ExtensionPage />} />
          <Route path="ivr-menus" element={<IvrMenusPage />} />
          <Route path="ivr-menus/:menuId" element={<IvrMenuPage />} />
          <Route path="voicemail" element={<VoicemailBoxesPage />} />
          <Route path="voicemail/:boxId" element={<VoicemailBoxPage />} />
          <Route path="numbers" element={<NumbersPage />} />
          <Route path="ring-groups" element={<RingGroupsPage />} />
          <Route path="ring-groups/:groupId" element={<RingGroupPage />} />
          <Route path="time-conditions" element={<TimeConditionsPage />} />
          <Route path="time-conditions/:conditionId" element={<TimeConditionPage />} />
          <Route path="calls" element={<CallHistoryPage />} />
          <Route path="audit-log" element={<AuditLogPage />} />
          <Route path="settings" element={<TenantSettingsPage />} />
          <Route path="dashboard" element={<DashboardPage />} />
          <Route path="users" element={<UsersPage />} />
          <Route path="users/:userId" element={<UserPage />} />
          <Route path="api-keys" element={<ApiKeysPage />} />
        </Route>
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
