import { GatewayPage, type Gateway } from '@pbx/contracts';
import { useQuery } from '@tanstack/react-query';
import { paths, request } from '../api.js';
import { ResourceListPage } from '../ui/resource-list.js';

/** A trunk's state in words: each FreeSWITCH node's sofia state (REGED, FAIL_WAIT…) and OPTIONS-ping status. */
export function trunkStatus(g: Gateway): string {
  if (!g.enabled) return 'Off';
  if (g.status.length === 0) return 'No node has reported it yet';
  return g.status
    .map((s) => `${s.node}: ${s.state}${s.pingStatus ? `, ping ${s.pingStatus}` : ''}`)
    .join('; ');
}

/** The platform's carrier trunks (sofia gateways): platform admins only, as the API's /gateways routes are. */
export function TrunksPage() {
  const list = useQuery({
    queryKey: ['gateways'],
    queryFn: () => request(GatewayPage, `${paths.gateways}?limit=200`),
  });
  return (
    <ResourceListPage
      title="Trunks"
      path="/trunks"
      newLabel="New trunk"
      query={list}
      label="Trunks"
      empty="No trunks yet. A trunk connects the platform to a carrier for calls to and from the phone network."
      link={{ title: 'Name', text: (g) => g.name }}
      columns={[
        { title: 'Carrier', cell: (g) => `${g.host}${g.port ? `:${g.port}` : ''} (${g.transport})` },
        { title: 'Status', cell: trunkStatus },
        { title: 'Tenants', cell: (g) => String(g.tenantCount) },
      ]}
    />
  );
}
