import { CreateUserBody, UserPage, UserSchema, type User } from '@pbx/contracts';
import { Anchor, Button, PasswordInput, Stack, Switch } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { errorText, request } from '../api.js';
import { DataTable } from '../ui/data-table.js';
import { useDateFormat } from '../ui/dates.js';
import { useFieldErrors } from '../ui/form.js';
import { FormStatus, Section } from '../ui/form-status.js';
import { Loaded, Page } from '../ui/page.js';
import { useExtensions } from '../ui/tenant-lists.js';
import { userUrl } from './user.js';
import { ROLE, UserFields, type UserFieldValues } from './user-fields.js';

/** The people who sign in to the portal for this company: administrators, and users who manage their phone. */
export function UsersPage() {
  const { tenantId = '' } = useParams();
  const users = useQuery({
    queryKey: ['users', tenantId],
    queryFn: () => request(UserPage, `${userUrl(tenantId)}?limit=200`),
  });
  const exts = useExtensions(tenantId).data?.items ?? [];
  const date = useDateFormat(tenantId);
  const queries = useQueryClient();
  const toggle = useMutation({
    mutationFn: (u: User) =>
      request(UserSchema, userUrl(tenantId, u.id), {
        method: 'PATCH',
        body: { disabled: !u.disabled },
      }),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['users', tenantId] }),
  });
  const extLabel = (id: string | null) => exts.find((x) => x.id === id)?.number ?? '–';

  return (
    <Page title="Users">
      <Loaded query={users}>
        {(page) => (
          <DataTable
            label="Users"
            rows={page.items}
            empty="No users yet."
            columns={[
              {
                title: 'E-mail',
                cell: (u) => (
                  <Anchor component={Link} to={`/t/${tenantId}/users/${u.id}`}>
                    {u.email}
                  </Anchor>
                ),
              },
              { title: 'Role', cell: (u) => ROLE[u.role] },
              { title: 'Extension', cell: (u) => extLabel(u.extensionId) },
              { title: 'Last sign-in', cell: (u) => (u.lastLoginAt ? date(u.lastLoginAt) : 'Never') },
              {
                title: 'May sign in',
                cell: (u) => (
                  <Switch
                    aria-label={`${u.email} may sign in`}
                    checked={!u.disabled}
                    onChange={() => toggle.mutate(u)}
                  />
                ),
              },
            ]}
          />
        )}
      </Loaded>
      {toggle.error && <FormStatus error={errorText(toggle.error)} />}
      <NewUser
        tenantId={tenantId}
        extensions={exts.map((x) => ({ value: x.id, label: `${x.number} · ${x.displayName}` }))}
      />
    </Page>
  );
}

function NewUser({
  tenantId,
  extensions,
}: {
  tenantId: string;
  extensions: { value: string; label: string }[];
}) {
  const blank = {
    email: '',
    name: '',
    password: '',
    role: 'TENANT_USER' as const,
    extensionId: null as string | null,
  };
  const [v, setV] = useState<{
    email: string;
    name: string;
    password: string;
    role: UserFieldValues['role'];
    extensionId: string | null;
  }>(blank);
  const [created, setCreated] = useState<string | null>(null);
  const errors = useFieldErrors();
  const queries = useQueryClient();
  const create = useMutation({
    mutationFn: (body: unknown) => request(UserSchema, userUrl(tenantId), { method: 'POST', body }),
    onSuccess: async (u) => {
      setCreated(u.email);
      setV(blank);
      await queries.invalidateQueries({ queryKey: ['users', tenantId] });
    },
    onError: (error) => errors.show(error, ['email', 'name', 'password', 'role', 'extensionId']),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    const body = errors.check(CreateUserBody, { ...v, name: v.name.trim() || undefined });
    if (body) create.mutate(body);
  };
  const set = <K extends keyof typeof v>(k: K, value: (typeof v)[K]) => setV((o) => ({ ...o, [k]: value }));
  return (
    <Section title="New user">
      <form onSubmit={submit} aria-label="New user">
        <Stack>
          <UserFields
            v={v}
            set={(k, value) => setV((o) => ({ ...o, [k]: value }))}
            errorOf={errors.of}
            extensions={extensions}
          />
          <PasswordInput
            label="First password"
            description="At least 12 characters; they can change it after signing in"
            value={v.password}
            onChange={(e) => set('password', e.currentTarget.value)}
            error={errors.of('password')}
            autoComplete="new-password"
          />
        </Stack>
        <FormStatus error={errors.general} done={created && `${created} can sign in now.`} />
        <Button type="submit" mt="sm" loading={create.isPending}>
          Create user
        </Button>
      </form>
    </Section>
  );
}
