import { CreateGatewayBody, GatewaySchema, UpdateGatewayBody, type Gateway } from '@pbx/contracts';
import { Group, PasswordInput, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { paths } from '../api.js';
import { useFieldErrors } from '../ui/form.js';
import { FormFooter, ResourcePage } from '../ui/form-shell.js';
import { useResourceWrite } from '../ui/resource-write.js';
import { trunkStatus } from './trunks.js';

export function TrunkPage() {
  const { gatewayId = '' } = useParams();
  return (
    <ResourcePage
      schema={GatewaySchema}
      url={`${paths.gateways}/${gatewayId}`}
      queryKey={['gateway', gatewayId]}
      id={gatewayId}
      title={(g, isNew) => (isNew ? 'New trunk' : `Trunk ${g?.name ?? ''}`)}
      back={{ to: '/trunks', label: 'All trunks' }}
    >
      {/* Keyed by id, not by version: the refetch after a save keeps the form and its "Saved." */}
      {(g) => <TrunkForm key={g?.id ?? 'new'} gateway={g} />}
    </ResourcePage>
  );
}

const KNOWN = [
  'name',
  'description',
  'host',
  'port',
  'transport',
  'register',
  'username',
  'password',
  'enabled',
];

/**
 * A trunk's connection settings. The password is write-only: the API says only whether one is stored, so the
 * field starts empty and an empty field keeps the stored one.
 */
function TrunkForm({ gateway }: { gateway: Gateway | null }) {
  const [name, setName] = useState(gateway?.name ?? '');
  const [description, setDescription] = useState(gateway?.description ?? '');
  const [host, setHost] = useState(gateway?.host ?? '');
  const [port, setPort] = useState(gateway?.port === null || !gateway ? '' : String(gateway.port));
  const [transport, setTransport] = useState<string>(gateway?.transport ?? 'UDP');
  const [register, setRegister] = useState(gateway?.register ?? true);
  const [username, setUsername] = useState(gateway?.username ?? '');
  const [password, setPassword] = useState('');
  const [enabled, setEnabled] = useState(gateway?.enabled ?? true);
  const errors = useFieldErrors();
  const { save, remove, saved, setSaved } = useResourceWrite({
    schema: GatewaySchema,
    apiPath: paths.gateways,
    existingId: gateway?.id ?? null,
    listKey: ['gateways'],
    itemKey: (id) => ['gateway', id],
    pagePath: '/trunks',
    onError: (e) => errors.show(e, KNOWN),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const body = errors.check(gateway ? UpdateGatewayBody : CreateGatewayBody, {
      name: name.trim(),
      description: description.trim(),
      host: host.trim(),
      port: port.trim() === '' ? null : Number(port),
      transport,
      register,
      username: username.trim() || null,
      enabled,
      ...(password ? { password } : {}),
    });
    // The typed password is not kept once stored: the field means "a new password" only.
    if (body) save.mutate(body, { onSuccess: () => setPassword('') });
  };
  return (
    <Stack component="form" onSubmit={submit} aria-label={gateway ? 'Edit trunk' : 'New trunk'} maw={560}>
      {gateway && <Text>Status: {trunkStatus(gateway)}</Text>}
      <TextInput
        label="Name"
        description="As FreeSWITCH names the gateway: lower-case letters, digits, _ . -"
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        error={errors.of('name')}
      />
      <TextInput
        label="Description"
        value={description}
        onChange={(e) => setDescription(e.currentTarget.value)}
        error={errors.of('description')}
      />
      <Group grow align="flex-start" wrap="wrap">
        <TextInput
          label="Carrier host"
          value={host}
          onChange={(e) => setHost(e.currentTarget.value)}
          error={errors.of('host')}
          miw={180}
        />
        <TextInput
          label="Port"
          inputMode="numeric"
          value={port}
          onChange={(e) => setPort(e.currentTarget.value)}
          error={errors.of('port')}
          miw={90}
        />
        <Select
          label="Transport"
          data={['UDP', 'TCP']}
          value={transport}
          onChange={(v) => setTransport(v ?? 'UDP')}
          allowDeselect={false}
          error={errors.of('transport')}
          miw={90}
        />
      </Group>
      <Switch
        label="Register with a user name and password (off: the carrier knows the platform by its address)"
        checked={register}
        onChange={(e) => setRegister(e.currentTarget.checked)}
      />
      <TextInput
        label="SIP user name"
        value={username}
        onChange={(e) => setUsername(e.currentTarget.value)}
        error={errors.of('username')}
      />
      <PasswordInput
        label="SIP password"
        description={
          gateway?.hasPassword
            ? 'A password is stored; it is never shown. Leave this empty to keep it.'
            : 'No password is stored.'
        }
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        error={errors.of('password')}
      />
      <Switch label="In use" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
      <FormFooter
        error={errors.general}
        saved={saved}
        submitLabel={gateway ? 'Save' : 'Create trunk'}
        saving={save.isPending}
        remove={
          gateway && {
            label: 'Delete trunk',
            confirm: `Delete the trunk ${gateway.name}? FreeSWITCH drops it at once.`,
            pending: remove.isPending,
            error: remove.error,
            run: () => remove.mutate(),
          }
        }
      />
    </Stack>
  );
}
