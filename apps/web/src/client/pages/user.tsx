import { UpdateUserBody, UserSchema, type User } from '@pbx/contracts';
import { Alert, Anchor, Button, PasswordInput, Stack, Switch } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { call, errorText, paths, request } from '../api.js';
import { useDateFormat } from '../ui/dates.js';
import { useFieldErrors } from '../ui/form.js';
import { FormStatus, Section } from '../ui/form-status.js';
import { Loaded, Page } from '../ui/page.js';
import { useExtensions } from '../ui/tenant-lists.js';
import { UserFields } from './user-fields.js';

export const userUrl = (tenantId: string, id = '') =>
  `${paths.tenant(tenantId)}/users${id ? `/${encodeURIComponent(id)}` : ''}`;

/** One portal user of the company: their details, role, extension and sign-in, a new password, or deleting them. */
export function UserPage() {
  const { tenantId = '', userId = '' } = useParams();
  const user = useQuery({
    queryKey: ['user', tenantId, userId],
    queryFn: () => request(UserSchema, userUrl(tenantId, userId)),
  });
  return (
    <Page title={user.data ? user.data.name || user.data.email : 'User'}>
      <Anchor component={Link} to={`/t/${tenantId}/users`}>
        ← All users
      </Anchor>
      <Loaded query={user}>
        {(u) => (
          <Stack>
            {/* Kept across the refetch after a save, so its "Saved." stays; the fields already hold what was saved. */}
            <UserForm key={u.id} tenantId={tenantId} user={u} />
            <DeleteUser tenantId={tenantId} user={u} />
          </Stack>
        )}
      </Loaded>
    </Page>
  );
}

const FIELDS = ['email', 'name', 'password', 'role', 'extensionId', 'disabled'];

function UserForm({ tenantId, user }: { tenantId: string; user: User }) {
  const [v, setV] = useState({
    email: user.email,
    name: user.name,
    role: user.role === 'TENANT_USER' ? ('TENANT_USER' as const) : ('TENANT_ADMIN' as const),
    extensionId: user.extensionId,
    disabled: user.disabled,
    password: '',
  });
  const [saved, setSaved] = useState(false);
  const errors = useFieldErrors();
  const exts = useExtensions(tenantId).data?.items ?? [];
  const date = useDateFormat(tenantId);
  const queries = useQueryClient();
  const save = useMutation({
    mutationFn: (body: unknown) => request(UserSchema, userUrl(tenantId, user.id), { method: 'PATCH', body }),
    onSuccess: async () => {
      setSaved(true);
      setV((o) => ({ ...o, password: '' }));
      await queries.invalidateQueries({ queryKey: ['users', tenantId] });
      await queries.invalidateQueries({ queryKey: ['user', tenantId, user.id] });
    },
    onError: (e) => errors.show(e, FIELDS),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    // Only what changed is sent (an empty password field keeps the current one), so the API checks only that.
    const body = errors.check(UpdateUserBody, {
      ...(v.email !== user.email ? { email: v.email } : {}),
      ...(v.name !== user.name ? { name: v.name } : {}),
      ...(v.role !== user.role ? { role: v.role } : {}),
      ...(v.extensionId !== user.extensionId ? { extensionId: v.extensionId } : {}),
      ...(v.disabled !== user.disabled ? { disabled: v.disabled } : {}),
      ...(v.password ? { password: v.password } : {}),
    });
    if (body) save.mutate(body);
  };
  const set = <K extends keyof typeof v>(k: K, value: (typeof v)[K]) => setV((o) => ({ ...o, [k]: value }));
  return (
    <Section title="Details">
      <form onSubmit={submit} aria-label="User">
        <Stack>
          {user.lockedUntil && new Date(user.lockedUntil) > new Date() && (
            <Alert color="red" title="Locked">
              Too many failed sign-ins; locked until {date(user.lockedUntil)}. A new password lifts the lock.
            </Alert>
          )}
          <UserFields
            v={v}
            set={(k, value) => setV((o) => ({ ...o, [k]: value }))}
            errorOf={errors.of}
            extensions={exts.map((x) => ({ value: x.id, label: `${x.number} · ${x.displayName}` }))}
          />
          <PasswordInput
            label="New password"
            description="Empty: keep the current one. A new one signs them out everywhere."
            value={v.password}
            onChange={(e) => set('password', e.currentTarget.value)}
            error={errors.of('password')}
            autoComplete="new-password"
          />
          <Switch
            label="May sign in"
            checked={!v.disabled}
            onChange={(e) => set('disabled', !e.currentTarget.checked)}
          />
          <FormStatus error={errors.general} done={saved && 'Saved.'} />
          <Button type="submit" w="fit-content" loading={save.isPending}>
            Save user
          </Button>
        </Stack>
      </form>
    </Section>
  );
}

function DeleteUser({ tenantId, user }: { tenantId: string; user: User }) {
  const queries = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: () => call(userUrl(tenantId, user.id), { method: 'DELETE' }),
    onSuccess: async () => {
      queries.removeQueries({ queryKey: ['user', tenantId, user.id] });
      await queries.invalidateQueries({ queryKey: ['users', tenantId], refetchType: 'all' });
      await navigate(`/t/${tenantId}/users`);
    },
  });
  return (
    <Section title="Delete">
      <Button
        color="red"
        variant="outline"
        w="fit-content"
        loading={remove.isPending}
        onClick={() => window.confirm(`Delete ${user.email}? They can no longer sign in.`) && remove.mutate()}
      >
        Delete user
      </Button>
      <FormStatus error={remove.error ? errorText(remove.error) : null} />
    </Section>
  );
}
