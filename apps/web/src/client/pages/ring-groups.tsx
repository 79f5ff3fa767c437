import { RingGroupPage } from '@pbx/contracts';
import { Anchor, Button, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { paths, request } from '../api.js';
import { Loaded, Page } from '../ui/page.js';

export function RingGroupsPage() {
  const tenantId = useParams().tenantId ?? '';
  const list = useQuery({
    queryKey: ['ring-groups', tenantId],
    queryFn: () => request(RingGroupPage, `${paths.ringGroups(tenantId)}?limit=200`),
  });
  return (
    <Page
      title="Ring groups"
      actions={
        <Button component={Link} to={`/t/${tenantId}/ring-groups/new`}>
          New ring group
        </Button>
      }
    >
      <Loaded query={list}>
        {(page) =>
          page.items.length === 0 ? (
            <Text>No ring groups yet. A ring group rings several phones for one call.</Text>
          ) : (
            <Table.ScrollContainer minWidth={300}>
              <Table aria-label="Ring groups" striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Number</Table.Th>
                    <Table.Th>Rings</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((g) => (
                    <Table.Tr key={g.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/t/${tenantId}/ring-groups/${g.id}`}>
                          {g.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{g.number ?? '—'}</Table.Td>
                      <Table.Td>
                        {g.members.length} {g.strategy === 'SIMULTANEOUS' ? 'at once' : 'in turn'},{' '}
                        {g.ringTimeoutSec} s
                      </Table.Td>
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
