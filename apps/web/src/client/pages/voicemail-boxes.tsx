import { VoicemailBoxPage } from '@pbx/contracts';
import { Anchor, Badge, Button, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { paths, request } from '../api.js';
import { Loaded, Page } from '../ui/page.js';

export function VoicemailBoxesPage() {
  const tenantId = useParams().tenantId ?? '';
  const list = useQuery({
    queryKey: ['boxes', tenantId],
    queryFn: () => request(VoicemailBoxPage, `${paths.boxes(tenantId)}?limit=200`),
  });
  return (
    <Page
      title="Voicemail"
      actions={
        <Button component={Link} to={`/t/${tenantId}/voicemail/new`}>
          New box
        </Button>
      }
    >
      <Loaded query={list}>
        {(page) =>
          page.items.length === 0 ? (
            <Text>No voicemail boxes yet. A box takes messages when nobody answers.</Text>
          ) : (
            <Table.ScrollContainer minWidth={300}>
              <Table aria-label="Voicemail boxes" striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Number</Table.Th>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>E-mail</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((b) => (
                    <Table.Tr key={b.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/t/${tenantId}/voicemail/${b.id}`}>
                          {b.number}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        {b.name} {b.pinLock.locked && <Badge color="red">PIN locked</Badge>}
                      </Table.Td>
                      <Table.Td style={{ wordBreak: 'break-all' }}>{b.email ?? '—'}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </Loaded>
    </Page>
  );
}
