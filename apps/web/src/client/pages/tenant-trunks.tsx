import { GatewayPage, SetTenantTrunksBody, TenantTrunkList, type TenantTrunk } from '@pbx/contracts';
import { Button, Group, Select, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { paths, request } from '../api.js';
import { FormStatus, Section } from '../ui/form-status.js';
import { useFieldErrors } from '../ui/form.js';

/**
 * The carrier trunks a tenant's outside calls take, first choice first (the next is tried when one fails). The API
 * lets only platform admins set them; the tenant's own admin reads them.
 */
export function TenantTrunks({ tenantId, editable }: { tenantId: string; editable: boolean }) {
  const trunks = useQuery({
    queryKey: ['trunks', tenantId],
    queryFn: () => request(TenantTrunkList, paths.trunks(tenantId)),
  });
  return (
    <Section title="Trunks">
      {trunks.error ? <FormStatus error="The trunks could not be loaded." /> : null}
      {trunks.data && (
        <TrunkOrder
          // Not keyed by the fetch: the refetch after saving would start the list over and lose its "Saved.".
          key={tenantId}
          tenantId={tenantId}
          current={trunks.data.items}
          editable={editable}
        />
      )}
    </Section>
  );
}

function TrunkOrder({
  tenantId,
  current,
  editable,
}: {
  tenantId: string;
  current: TenantTrunk[];
  editable: boolean;
}) {
  const [order, setOrder] = useState(current.map((t) => t.gatewayId));
  const [saved, setSaved] = useState(false);
  const errors = useFieldErrors();
  const queries = useQueryClient();
  const gateways = useQuery({
    queryKey: ['gateways'],
    queryFn: () => request(GatewayPage, `${paths.gateways}?limit=200`),
    enabled: editable,
  });
  // A trunk dedicated to another tenant cannot be given to this one.
  const usable = (gateways.data?.items ?? []).filter((g) => g.tenantId === null || g.tenantId === tenantId);
  const names = new Map<string, string>([
    ...current.map((t): [string, string] => [t.gatewayId, t.enabled ? t.name : `${t.name} (off)`]),
    ...usable.map((g): [string, string] => [g.id, g.enabled ? g.name : `${g.name} (off)`]),
  ]);
  const save = useMutation({
    mutationFn: (body: unknown) => request(TenantTrunkList, paths.trunks(tenantId), { method: 'PUT', body }),
    onSuccess: async (answer) => {
      setOrder(answer.items.map((t) => t.gatewayId));
      setSaved(true);
      await queries.invalidateQueries({ queryKey: ['gateways'] });
      await queries.invalidateQueries({ queryKey: ['trunks', tenantId] });
    },
    onError: (e) => errors.show(e, ['gatewayIds']),
  });
  const move = (i: number, by: number) => {
    const next = [...order];
    const [item] = next.splice(i, 1);
    if (item === undefined) return;
    next.splice(i + by, 0, item);
    setSaved(false);
    setOrder(next);
  };
  const submit = () => {
    setSaved(false);
    const body = errors.check(SetTenantTrunksBody, { gatewayIds: order });
    if (body) save.mutate(body);
  };
  if (order.length === 0 && !editable)
    return <Text>No trunks: this account cannot call outside numbers yet.</Text>;
  return (
    <>
      {order.length === 0 ? (
        <Text>No trunks yet: outside calls have no way out.</Text>
      ) : (
        <ol aria-label="Trunks, first choice first" style={{ margin: 0, paddingLeft: '1.5rem' }}>
          {order.map((id, i) => {
            const name = names.get(id) ?? id;
            return (
              <li key={id}>
                <Group gap="xs" wrap="wrap">
                  <Text>{name}</Text>
                  {editable && (
                    <>
                      <Button
                        size="compact-xs"
                        variant="default"
                        disabled={i === 0}
                        aria-label={`Move ${name} up`}
                        onClick={() => move(i, -1)}
                      >
                        Up
                      </Button>
                      <Button
                        size="compact-xs"
                        variant="default"
                        disabled={i === order.length - 1}
                        aria-label={`Move ${name} down`}
                        onClick={() => move(i, 1)}
                      >
                        Down
                      </Button>
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        aria-label={`Remove ${name}`}
                        onClick={() => {
                          setSaved(false);
                          setOrder(order.filter((o) => o !== id));
                        }}
                      >
                        Remove
                      </Button>
                    </>
                  )}
                </Group>
              </li>
            );
          })}
        </ol>
      )}
      {editable && (
        <>
          <Select
            label="Add a trunk"
            placeholder="Choose a trunk"
            data={usable.filter((g) => !order.includes(g.id)).map((g) => ({ value: g.id, label: g.name }))}
            value={null}
            onChange={(v) => {
              if (!v) return;
              setSaved(false);
              setOrder([...order, v]);
            }}
            error={errors.of('gatewayIds')}
            nothingFoundMessage="No other trunks"
          />
          <FormStatus error={errors.general} done={saved && 'Saved.'} />
          <Group>
            <Button onClick={submit} loading={save.isPending}>
              Save trunks
            </Button>
          </Group>
        </>
      )}
    </>
  );
}
