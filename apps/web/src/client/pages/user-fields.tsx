import { TenantRoleSchema } from '@pbx/contracts';
import type { z } from 'zod';
import { Group, Select, TextInput } from '@mantine/core';

export const ROLE = {
  TENANT_ADMIN: 'Administrator',
  TENANT_USER: 'Phone user',
  PLATFORM_ADMIN: 'Platform admin',
};

export interface UserFieldValues {
  email: string;
  name: string;
  role: z.infer<typeof TenantRoleSchema>;
  extensionId: string | null;
}

/** Who a user is and what they may do: the fields the "new user" form and a user's own page share. */
export function UserFields({
  v,
  set,
  errorOf,
  extensions,
}: {
  v: UserFieldValues;
  set: <K extends keyof UserFieldValues>(k: K, value: UserFieldValues[K]) => void;
  errorOf: (field: string) => string | undefined;
  extensions: { value: string; label: string }[];
}) {
  return (
    <>
      <Group grow wrap="wrap" align="flex-start">
        <TextInput
          label="E-mail"
          value={v.email}
          onChange={(e) => set('email', e.currentTarget.value)}
          error={errorOf('email')}
          miw={200}
        />
        <TextInput
          label="Name"
          value={v.name}
          onChange={(e) => set('name', e.currentTarget.value)}
          error={errorOf('name')}
          miw={200}
        />
      </Group>
      <Group grow wrap="wrap" align="flex-start">
        <Select
          label="Role"
          data={TenantRoleSchema.options.map((r) => ({ value: r, label: ROLE[r] }))}
          value={v.role}
          onChange={(r) => r && set('role', TenantRoleSchema.parse(r))}
          allowDeselect={false}
          error={errorOf('role')}
          miw={150}
        />
        <Select
          label="Their extension"
          data={extensions}
          value={v.extensionId}
          onChange={(id) => set('extensionId', id)}
          placeholder="None"
          clearable
          searchable
          error={errorOf('extensionId')}
          miw={150}
        />
      </Group>
    </>
  );
}
