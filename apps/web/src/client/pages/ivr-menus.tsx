import { Badge } from '@mantine/core';
import { useParams } from 'react-router';
import { ResourceListPage } from '../ui/resource-list.js';
import { menuList } from '../ui/tenant-lists.js';

export function IvrMenusPage() {
  const tenantId = useParams().tenantId ?? '';
  const list = menuList.use(tenantId);
  return (
    <ResourceListPage
      title="IVR menus"
      path={`/t/${tenantId}/ivr-menus`}
      newLabel="New menu"
      query={list}
      label="IVR menus"
      empty="No menus yet. A menu greets callers and lets them choose with their keypad."
      link={{ title: 'Name', text: (m) => m.name }}
      columns={[
        { title: 'Number', cell: (m) => m.number ?? '—' },
        {
          title: 'Options',
          cell: (m) => (
            <>
              {m.options.map((o) => o.digits).join(' ') || '—'}{' '}
              {m.greeting && <Badge variant="dot">greeting</Badge>}
            </>
          ),
        },
      ]}
    />
  );
}
