// Stable OpenAPI operationIds for client generators, derived from method and
// path: GET /v1/tenants/:tenantId/ivr-menus → listIvrMenus, PATCH .../ivr-menus/:menuId → updateIvrMenu,
// POST .../extensions/:extensionId/reset-password → resetExtensionPassword.

const SPECIAL: Record<string, string> = {
  'POST /v1/auth/login': 'login',
  'POST /v1/auth/logout': 'logout',
  'GET /v1/auth/me': 'getMe',
  'POST /v1/auth/password': 'changeOwnPassword',
  'GET /v1/openapi.json': 'getOpenApiDocument',
  'GET /healthz': 'getHealth',
  'GET /readyz': 'getReadiness',
  'GET /metrics': 'getMetrics',
  'GET /v1/audit-log': 'listPlatformAuditLog',
  'DELETE /v1/api-keys/:keyId': 'revokeApiKey',
  'GET /v1/tenants/:tenantId/cdrs/export.csv': 'exportCdrsCsv',
  'GET /v1/guard/blocks': 'listGuardBlocks',
  'GET /v1/jobs/failed': 'listFailedJobs',
  'DELETE /v1/guard/blocks/:kind/:key': 'liftGuardBlock',
  'GET /v1/guard/alerts': 'listPlatformGuardAlerts',
  'GET /v1/guard/firewall.ipset': 'getGuardFirewallIpset',
  'GET /v1/tenants/:tenantId/guard/locks': 'listGuardLocks',
  'DELETE /v1/tenants/:tenantId/guard/locks/:extension': 'liftGuardLock',
  'GET /v1/tenants/:tenantId/guard/alerts': 'listGuardAlerts',
  'GET /v1/tenants/:tenantId/guard/trusted-networks': 'getGuardTrustedNetworks',
  'PUT /v1/tenants/:tenantId/guard/trusted-networks': 'replaceGuardTrustedNetworks',
  'GET /v1/fraud/blocks': 'listPlatformFraudBlocks',
  'PUT /v1/tenants/:tenantId/extensions/:extensionId/sip-password': 'setExtensionSipPassword',
  'POST /v1/tenants/:tenantId/extensions/:extensionId/change-number': 'changeExtensionNumber',
  'PATCH /v1/tenants/:tenantId/settings': 'updateTenantSettings',
  'GET /v1/tenants/:tenantId/fraud-policy': 'getFraudPolicy',
  'PUT /v1/tenants/:tenantId/fraud-policy': 'updateFraudPolicy',
  'GET /v1/tenants/:tenantId/fraud/blocks': 'listFraudBlocks',
  'DELETE /v1/tenants/:tenantId/fraud/blocks/:extension': 'liftFraudBlock',
  // Greetings: a singular sub-resource (one per menu, one per box and kind), not a collection.
  'PUT /v1/tenants/:tenantId/ivr-menus/:menuId/greeting': 'uploadIvrMenuGreeting',
  'PUT /v1/tenants/:tenantId/ivr-menus/:menuId/greeting/text': 'setIvrMenuGreetingText',
  'GET /v1/tenants/:tenantId/ivr-menus/:menuId/greeting': 'getIvrMenuGreeting',
  'DELETE /v1/tenants/:tenantId/ivr-menus/:menuId/greeting': 'deleteIvrMenuGreeting',
  'PUT /v1/tenants/:tenantId/voicemail-boxes/:boxId/greetings/:kind': 'uploadVoicemailBoxGreeting',
  'PUT /v1/tenants/:tenantId/voicemail-boxes/:boxId/greetings/:kind/text': 'setVoicemailBoxGreetingText',
  'GET /v1/tenants/:tenantId/voicemail-boxes/:boxId/greetings/:kind': 'getVoicemailBoxGreeting',
  'DELETE /v1/tenants/:tenantId/voicemail-boxes/:boxId/greetings/:kind': 'deleteVoicemailBoxGreeting',
};

const pascal = (s: string) =>
  s
    .split(/[-.]/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
const singular = (s: string) => (s.endsWith('xes') ? s.slice(0, -2) : s.endsWith('s') ? s.slice(0, -1) : s);

export function operationId(method: string, url: string): string {
  const special = SPECIAL[`${method} ${url}`];
  if (special) return special;
  let segs = url.split('/').filter((s) => s && s !== 'v1');
  if (segs[0] === 'tenants' && segs[1] === ':tenantId' && segs.length > 2) segs = segs.slice(2);
  const last = segs[segs.length - 1] ?? '';
  const endsWithParam = last.startsWith(':');
  const statics = segs.filter((s) => !s.startsWith(':'));
  const resources = endsWithParam ? statics : statics.slice(0, -1);
  const trailing = endsWithParam ? '' : last;
  const isCollection =
    trailing !== '' && segs.length % 2 === 1 && !['settings', 'audio', 'reset-password'].includes(trailing);
  const owner = resources.map((r) => singular(pascal(r))).join('');
  if (isCollection) {
    const words = owner + pascal(trailing);
    if (method === 'GET') return `list${words}`;
    return `create${owner}${singular(pascal(trailing))}`;
  }
  if (endsWithParam) {
    const verb =
      { GET: 'get', PATCH: 'update', PUT: 'replace', DELETE: 'delete', POST: 'post' }[method] ??
      method.toLowerCase();
    return `${verb}${owner}`;
  }
  // An action below an item: PATCH .../settings, GET .../audio, POST .../reset-password.
  const [first = '', ...rest] = trailing.split('-');
  if (method === 'POST') return `${first}${owner}${pascal(rest.join('-'))}`;
  const verb = method === 'GET' ? 'get' : method === 'PATCH' ? 'update' : method.toLowerCase();
  return `${verb}${owner}${pascal(trailing)}`;
}
