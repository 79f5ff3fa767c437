import { useParams } from 'react-router';
import { ResourceListPage } from '../ui/resource-list.js';
import { timeConditionList } from '../ui/tenant-lists.js';
import { DAYS, clock } from './time-condition-schedule.js';

export function TimeConditionsPage() {
  const tenantId = useParams().tenantId ?? '';
  const list = timeConditionList.use(tenantId);
  return (
    <ResourceListPage
      title="Time conditions"
      path={`/t/${tenantId}/time-conditions`}
      newLabel="New time condition"
      query={list}
      label="Time conditions"
      empty="No time conditions yet. One sends calls one way in business hours and another way after."
      link={{ title: 'Name', text: (c) => c.name }}
      columns={[
        {
          title: 'Open hours',
          cell: (c) =>
            c.ranges
              .map((r) => `${DAYS[r.dayOfWeek]?.slice(0, 3)} ${clock(r.startMinute)}–${clock(r.endMinute)}`)
              .join(', ') || 'never',
        },
        { title: 'Holidays', cell: (c) => c.holidays.length },
      ]}
    />
  );
}
