import { DEFAULT_IDENTITY, eventHeaders } from './fields.js';
import { stampOrNow, type Common, type XmlCurlRequest } from './request-common.js';

/**
 * `sofia profile <p> startgw <name|_all_>` fetches sofia.conf with `profile`, `reconfig=true` and `gateway`
 * (sofia.c, config_gateway) and parses only that profile's gateways.
 */
export function sofiaGatewayConfigRequest(o: Common & { profile: string; gateway: string }): XmlCurlRequest {
  const id = o.identity ?? DEFAULT_IDENTITY;
  return {
    section: 'configuration',
    fields: [
      ['hostname', id.hostname],
      ['section', 'configuration'],
      ['tag_name', 'configuration'],
      ['key_name', 'name'],
      ['key_value', 'sofia.conf'],
      ...eventHeaders(id, stampOrNow(o.stamp), { file: 'sofia.c', func: 'config_gateway', line: 0 }), // line: not captured; nobody reads it
      ['profile', o.profile],
      ['reconfig', 'true'],
      ['gateway', o.gateway],
    ],
  };
}
