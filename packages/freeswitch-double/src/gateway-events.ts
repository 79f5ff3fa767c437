// CUSTOM sofia::gateway_state: what sofia_reg.c's sofia_reg_fire_custom_gateway_state_event fires on every change of
// a gateway's registration state (and, through it, its ping status): Gateway, State (sofia_state_string),
// Ping-Status (sofia_gateway_status_name), then Phrase and Status when a SIP answer caused the change.
import type { EventFactory, FsEvent } from './fs-event.js';
import type { LoadedGateway } from './sofia-gateways.js';

const ORIGIN = { file: 'sofia_reg.c', func: 'sofia_reg_fire_custom_gateway_state_event', line: 150 };

export function gatewayStateEvent(factory: EventFactory, g: LoadedGateway): FsEvent {
  return factory
    .create('CUSTOM', ORIGIN, 'sofia::gateway_state')
    .add('Gateway', g.name)
    .add('State', g.state)
    .add('Ping-Status', g.status);
}

/** sofia::gateway_add (sofia_reg.c sofia_reg_add_gateway) and sofia::gateway_delete: Gateway and profile-name. */
export function gatewayAddedEvent(factory: EventFactory, g: LoadedGateway, deleted = false): FsEvent {
  const origin = deleted
    ? { file: 'sofia_reg.c', func: 'sofia_reg_del_gateway', line: 3600 }
    : { file: 'sofia_reg.c', func: 'sofia_reg_add_gateway', line: 3400 };
  return factory
    .create('CUSTOM', origin, deleted ? 'sofia::gateway_delete' : 'sofia::gateway_add')
    .add('Gateway', g.name)
    .add('profile-name', g.profile);
}
