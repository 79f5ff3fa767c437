import { AuditPage, ListAuditQuery, type AuditEntry } from '@pbx/contracts';
import { Button, Code, Group, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { paths, request } from '../api.js';
import { useDateFormat } from '../ui/dates.js';
import { useFieldErrors } from '../ui/form.js';
import { Loaded, Page } from '../ui/page.js';

const PAGE = 50;

function actor(e: AuditEntry): string {
  if (e.actorLabel) return e.actorLabel;
  if (e.actorUserId) return `user ${e.actorUserId.slice(0, 8)}`;
  if (e.actorApiKeyId) return `API key ${e.actorApiKeyId.slice(0, 8)}`;
  return 'the system';
}

/** Who changed what, newest first (tenant admins: their tenant; platform admins: any tenant they open). */
export function AuditLogPage() {
  const tenantId = useParams().tenantId ?? '';
  const date = useDateFormat(tenantId);
  const [draft, setDraft] = useState({ entityType: '', action: '' });
  const [filter, setFilter] = useState<Record<string, string>>({});
  const [offset, setOffset] = useState(0);
  const errors = useFieldErrors();
  const qs = new URLSearchParams({ ...filter, limit: String(PAGE), offset: String(offset) });
  const list = useQuery({
    queryKey: ['audit', tenantId, qs.toString()],
    queryFn: () => request(AuditPage, `${paths.auditLog(tenantId)}?${qs}`),
    placeholderData: keepPreviousData,
  });
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const set = Object.fromEntries(Object.entries(draft).filter(([, v]) => v.trim() !== ''));
    if (errors.check(ListAuditQuery, set)) {
      setOffset(0);
      setFilter(set);
    }
  };
  return (
    <Page title="Audit log">
      <Paper withBorder p="md" component="form" onSubmit={apply} aria-label="Filter the audit log">
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label="What changed (e.g. extension)"
            value={draft.entityType}
            onChange={(e) => setDraft((d) => ({ ...d, entityType: e.currentTarget.value }))}
            error={errors.of('entityType')}
            miw={180}
          />
          <TextInput
            label="Action (e.g. extension.update)"
            value={draft.action}
            onChange={(e) => setDraft((d) => ({ ...d, action: e.currentTarget.value }))}
            error={errors.of('action')}
            miw={180}
          />
          <Button type="submit">Filter</Button>
        </Group>
      </Paper>
      <Loaded query={list}>
        {(page) =>
          page.items.length === 0 ? (
            <Text>No entries.</Text>
          ) : (
            <Stack gap="xs">
              <Text size="sm">{page.total} entries</Text>
              <Table.ScrollContainer minWidth={300}>
                <Table aria-label="Audit log" striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>When and who</Table.Th>
                      <Table.Th>What</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {page.items.map((e) => (
                      <Table.Tr key={e.id} data-testid="audit-entry">
                        <Table.Td>
                          <Text size="sm">{date(e.createdAt)}</Text>
                          <Text size="xs" c="dimmed">
                            {actor(e)}
                            {e.ip ? ` from ${e.ip}` : ''}
                          </Text>
                        </Table.Td>
                        <Table.Td style={{ wordBreak: 'break-word' }}>
                          <Text size="sm" fw={600}>
                            {e.action}
                          </Text>
                          <details>
                            <summary>
                              <Text span size="xs">
                                {e.entityType} {e.entityId ?? ''}
                              </Text>
                            </summary>
                            <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                              {JSON.stringify({ before: e.before, after: e.after }, null, 2)}
                            </Code>
                          </details>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <Group>
                <Button
                  variant="default"
                  disabled={offset === 0}
                  onClick={() => setOffset(Math.max(0, offset - PAGE))}
                >
                  Newer
                </Button>
                <Button
                  variant="default"
                  disabled={offset + PAGE >= page.total}
                  onClick={() => setOffset(offset + PAGE)}
                >
                  Older
                </Button>
              </Group>
            </Stack>
          )
        }
      </Loaded>
    </Page>
  );
}
