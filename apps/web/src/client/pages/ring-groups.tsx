import { useParams } from 'react-router';
import { ResourceListPage } from '../ui/resource-list.js';
import { ringGroupList } from '../ui/tenant-lists.js';

export function RingGroupsPage() {
  const tenantId = useParams().tenantId ?? '';
  const list = ringGroupList.use(tenantId);
  return (
    <ResourceListPage
      title="Ring groups"
      path={`/t/${tenantId}/ring-groups`}
      newLabel="New ring group"
      query={list}
      label="Ring groups"
      empty="No ring groups yet. A ring group rings several phones for one call."
      link={{ title: 'Name', text: (g) => g.name }}
      columns={[
        { title: 'Number', cell: (g) => g.number ?? '—' },
        {
          title: 'Rings',
          cell: (g) =>
            `${g.members.length} ${g.strategy === 'SIMULTANEOUS' ? 'at once' : 'in turn'}, ${g.ringTimeoutSec} s`,
        },
      ]}
    />
  );
}
