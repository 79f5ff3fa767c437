import { TimeConditionPage } from '@pbx/contracts';
import { Anchor, Button, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { paths, request } from '../api.js';
import { Loaded, Page } from '../ui/page.js';
import { DAYS, clock } from './time-condition-schedule.js';

export function TimeConditionsPage() {
  const tenantId = useParams().tenantId ?? '';
  const list = useQuery({
    queryKey: ['time-conditions', tenantId],
    queryFn: () => request(TimeConditionPage, `${paths.timeConditions(tenantId)}?limit=200`),
  });
  return (
    <Page
      title="Time conditions"
      actions={
        <Button component={Link} to={`/t/${tenantId}/time-conditions/new`}>
          New time condition
        </Button>
      }
    >
      <Loaded query={list}>
        {(page) =>
          page.items.length === 0 ? (
            <Text>
              No time conditions yet. One sends calls one way in business hours and another way after.
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={300}>
              <Table aria-label="Time conditions" striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Open hours</Table.Th>
                    <Table.Th>Holidays</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((c) => (
                    <Table.Tr key={c.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/t/${tenantId}/time-conditions/${c.id}`}>
                          {c.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        {c.ranges
                          .map(
                            (r) =>
                              `${DAYS[r.dayOfWeek]?.slice(0, 3)} ${clock(r.startMinute)}–${clock(r.endMinute)}`,
                          )
                          .join(', ') || 'never'}
                      </Table.Td>
                      <Table.Td>{c.holidays.length}</Table.Td>
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
