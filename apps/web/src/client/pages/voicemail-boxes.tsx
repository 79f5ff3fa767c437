import { Badge, Text } from '@mantine/core';
import { useParams } from 'react-router';
import { ResourceListPage } from '../ui/resource-list.js';
import { boxList } from '../ui/tenant-lists.js';

export function VoicemailBoxesPage() {
  const tenantId = useParams().tenantId ?? '';
  const list = boxList.use(tenantId);
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
