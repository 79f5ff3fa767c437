import {
  CdrPage,
  FraudBlockListSchema,
  GuardAlertListSchema,
  GuardBlockListSchema,
  VoicemailMessagePage,
} from '@pbx/contracts';
import { RegistrationListSchema } from '@pbx/contracts/calls';
import { Alert, Group, Stack, Table, Text } from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { paths, request } from '../api.js';
import { dayIn, dayStartIn, formatDateTime, useTenantZone } from '../ui/dates.js';
import { Section } from '../ui/form-status.js';
import { Page } from '../ui/page.js';
import { Stat } from '../ui/stat.js';
import { useLiveCalls } from './dashboard/live-calls.js';
import { boxList } from '../ui/tenant-lists.js';

const REFRESH_MS = 30_000;

/** What a tenant admin checks first: phones online, calls now and today, messages waiting, anything blocked. */
export function DashboardPage() {
  const { tenantId = '' } = useParams();
  const t = paths.tenant(tenantId);
  const poll = <T,>(key: string, fn: () => Promise<T>) =>
    useQuery({ queryKey: ['dashboard', key, tenantId], queryFn: fn, refetchInterval: REFRESH_MS });
  const regs = poll('registrations', () => request(RegistrationListSchema, `${t}/registrations`));
  // Today is the tenant's: midnight on its clock, not on this computer's.
  const zone = useTenantZone(tenantId);
  const midnight = dayStartIn(dayIn(new Date(), zone), zone);
  const today = useQuery({
    queryKey: ['dashboard', 'cdrs-today', tenantId, midnight],
    queryFn: () => request(CdrPage, `${paths.cdrs(tenantId)}?limit=1&from=${encodeURIComponent(midnight)}`),
    refetchInterval: REFRESH_MS,
    enabled: zone !== undefined,
  });
  const locks = poll('locks', () => request(GuardBlockListSchema, `${t}/guard/locks`));
  const fraud = poll('fraud', () => request(FraudBlockListSchema, `${t}/fraud/blocks`));
  const alerts = poll('alerts', () => request(GuardAlertListSchema, `${t}/guard/alerts?limit=5`));
  const boxes = boxList.use(tenantId);
  const unread = useQueries({
    queries: (boxes.data?.items ?? []).map((b) => ({
      queryKey: ['dashboard', 'unread', tenantId, b.id],
      queryFn: () =>
        request(VoicemailMessagePage, `${paths.box(tenantId, b.id)}/messages?unread=true&limit=1`),
      refetchInterval: REFRESH_MS,
    })),
  });
  const live = useLiveCalls(tenantId);
  const phones = new Set(regs.data?.items.map((r) => r.extension));
  const waiting =
    boxes.data && unread.every((q) => q.data)
      ? unread.reduce((n, q) => n + (q.data?.total ?? 0), 0)
      : undefined;
  const blocked = locks.data && fraud.data ? locks.data.items.length + fraud.data.items.length : undefined;
  const failed = [regs, today, locks, fraud, alerts, boxes].find((q) => q.error);

  return (
    <Page title="Dashboard">
      {failed && (
        <Alert color="red" role="alert">
          Some figures could not be loaded; the others are shown.
        </Alert>
      )}
      <Group align="stretch" gap="sm">
        <Stat
          label="Phones registered"
          value={regs.data?.items.length}
          note={regs.data && `${phones.size} extension${phones.size === 1 ? '' : 's'} online`}
        />
        <Stat label="Calls now" value={live.connected ? live.calls.length : undefined} note="live" />
        <Stat label="Calls today" value={today.data?.total} />
        <Stat label="Voicemail waiting" value={waiting} note="unheard messages" />
        <Stat label="Blocked" value={blocked} note="locked SIP users and fraud blocks" />
      </Group>
      <Section title="Live calls">
        {!live.connected && <Text size="sm">Connecting to the live view…</Text>}
        {live.connected && live.calls.length === 0 && <Text size="sm">No calls right now.</Text>}
        {live.calls.length > 0 && (
          <Table.ScrollContainer minWidth={0}>
            <Table aria-label="Live calls">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>From</Table.Th>
                  <Table.Th>To</Table.Th>
                  <Table.Th>State</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {live.calls.map((c) => (
                  <Table.Tr key={c.uuid}>
                    <Table.Td>
                      {c.callerName ? `${c.callerName} (${c.callerNumber})` : c.callerNumber}
                    </Table.Td>
                    <Table.Td>{c.callee}</Table.Td>
                    <Table.Td>{c.state}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Section>
      <Section title="Security alerts">
        <Stack gap={4}>
          {locks.data?.items.map((l) => (
            <Text size="sm" key={`lock-${l.key}`}>
              SIP user {l.key} locked until {formatDateTime(l.until, zone)}: {l.reason}
            </Text>
          ))}
          {fraud.data?.items.map((f) => (
            <Text size="sm" key={`fraud-${f.extension}`}>
              Extension {f.extension} may not call out until {formatDateTime(f.until, zone)}: {f.reason}
            </Text>
          ))}
          {alerts.data?.items.map((a) => (
            <Text size="sm" key={a.id}>
              {formatDateTime(a.at, zone)}: {a.summary}
            </Text>
          ))}
          {alerts.data && alerts.data.items.length === 0 && blocked === 0 && (
            <Text size="sm">Nothing blocked, no alerts.</Text>
          )}
        </Stack>
      </Section>
    </Page>
  );
}
