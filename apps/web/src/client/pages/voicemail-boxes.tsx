import { VoicemailBoxPage } from '@pbx/contracts';
import { Badge, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { paths, request } from '../api.js';
import { ResourceListPage } from '../ui/resource-list.js';

export function VoicemailBoxesPage() {
  const tenantId = useParams().tenantId ?? '';
  const list = useQuery({
    queryKey: ['boxes', tenantId],
    queryFn: () => request(VoicemailBoxPage, `${paths.boxes(tenantId)}?limit=200`),
  });
  return (
    <ResourceListPage
      title="Voicemail"
      path={`/t/${tenantId}/voicemail`}
      newLabel="New box"
      query={list}
      label="Voicemail boxes"
      empty="No voicemail boxes yet. A box takes messages when nobody answers."
      link={{ title: 'Number', text: (b) => b.number }}
      columns={[
        {
          title: 'Name',
          cell: (b) => (
            <>
              {b.name} {b.pinLock.locked && <Badge color="red">PIN locked</Badge>}
            </>
          ),
        },
        {
          title: 'E-mail',
          // A long address breaks anywhere rather than widening the table past a phone's screen.
          cell: (b) => (
            <Text span inherit style={{ wordBreak: 'break-all' }}>
              {b.email ?? '—'}
            </Text>
          ),
        },
      ]}
    />
  );
}
