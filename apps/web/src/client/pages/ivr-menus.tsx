import { IvrMenuPage } from '@pbx/contracts';
import { Anchor, Badge, Button, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { paths, request } from '../api.js';
import { Loaded, Page } from '../ui/page.js';

export function IvrMenusPage() {
  const tenantId = useParams().tenantId ?? '';
  const list = useQuery({
    queryKey: ['menus', tenantId],
    queryFn: () => request(IvrMenuPage, `${paths.menus(tenantId)}?limit=200`),
  });
  return (
    <Page
      title="IVR menus"
      actions={
        <Button component={Link} to={`/t/${tenantId}/ivr-menus/new`}>
          New menu
        </Button>
      }
    >
      <Loaded query={list}>
        {(page) =>
          page.items.length === 0 ? (
            <Text>No menus yet. A menu greets callers and lets them choose with their keypad.</Text>
          ) : (
            <Table.ScrollContainer minWidth={300}>
              <Table aria-label="IVR menus" striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Number</Table.Th>
                    <Table.Th>Options</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((m) => (
                    <Table.Tr key={m.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/t/${tenantId}/ivr-menus/${m.id}`}>
                          {m.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{m.number ?? '—'}</Table.Td>
                      <Table.Td>
                        {m.options.map((o) => o.digits).join(' ') || '—'}{' '}
                        {m.greeting && <Badge variant="dot">greeting</Badge>}
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
