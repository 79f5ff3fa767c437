import type { Cdr } from '@pbx/contracts';
import { Button, Group, Loader, Table, Text } from '@mantine/core';
import { useParams } from 'react-router';
import { useDateFormat } from '../ui/dates.js';
import { Loaded } from '../ui/page.js';

const DIRECTION = { INBOUND: 'in', OUTBOUND: 'out', INTERNAL: 'internal' } as const;

const duration = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;

/** One page of call records, a recording player where a call was recorded, and paging. */
export function CdrTable({
  query,
  offset,
  pageSize,
  onOffset,
  onPlay,
  playing,
}: {
  query: {
    isPending: boolean;
    isFetching: boolean;
    error: unknown;
    data: { items: Cdr[]; total: number } | undefined;
  };
  offset: number;
  pageSize: number;
  onOffset: (offset: number) => void;
  onPlay: (recordingId: string) => void;
  playing: { id: string; url: string } | null;
}) {
  const date = useDateFormat(useParams().tenantId);
  return (
    <Loaded query={query}>
      {(page) =>
        page.items.length === 0 ? (
          <Text>No calls match.</Text>
        ) : (
          <>
            <Group justify="space-between">
              <Text size="sm" role="status" data-testid="cdr-count">
                {page.total} {page.total === 1 ? 'call' : 'calls'}
                {page.total > pageSize ? `, showing ${offset + 1}–${offset + page.items.length}` : ''}
              </Text>
              {query.isFetching && <Loader size="xs" role="status" aria-label="Loading" />}
            </Group>
            <Table.ScrollContainer minWidth={300}>
              <Table aria-label="Calls" striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>When</Table.Th>
                    <Table.Th>Call</Table.Th>
                    <Table.Th>Result</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((c) => (
                    <Table.Tr key={c.id} data-testid="cdr">
                      <Table.Td>
                        <Text size="sm">{date(c.startedAt)}</Text>
                      </Table.Td>
                      <Table.Td style={{ wordBreak: 'break-word' }}>
                        <Text size="sm">
                          <strong>{DIRECTION[c.direction]}</strong> {c.fromName ? `${c.fromName} ` : ''}
                          {c.fromNumber} → {c.toNumber}
                          {c.did ? ` (via ${c.did})` : ''}
                          {c.extensionNumber ? ` · ext ${c.extensionNumber}` : ''}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c={c.answeredAt ? 'inherit' : 'red.9'}>
                          {c.blockedReason
                            ? `blocked: ${c.blockedReason}`
                            : c.answeredAt
                              ? `answered, ${duration(c.billsec)}`
                              : 'missed'}
                        </Text>
                        {c.recordingId && (
                          <Button
                            size="compact-xs"
                            variant="default"
                            onClick={() => c.recordingId && onPlay(c.recordingId)}
                          >
                            Play recording
                          </Button>
                        )}
                        {playing && playing.id === c.recordingId && (
                          <audio
                            controls
                            autoPlay
                            src={playing.url}
                            aria-label="Call recording"
                            data-testid="recording-audio"
                          />
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {page.total > pageSize && (
              <Group>
                <Button
                  variant="default"
                  disabled={offset === 0}
                  onClick={() => onOffset(Math.max(0, offset - pageSize))}
                >
                  Newer
                </Button>
                <Button
                  variant="default"
                  disabled={offset + pageSize >= page.total}
                  onClick={() => onOffset(offset + pageSize)}
                >
                  Older
                </Button>
              </Group>
            )}
          </>
        )
      }
    </Loaded>
  );
}
