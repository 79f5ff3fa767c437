// The sofia registration table of the double: phones register, unregister, expire or are flushed, each with
// the sofia::* events sofia_reg.c fires.
import type { EventFactory, FsEvent } from './fs-event.js';
import {
  newRegistration,
  registerFailureEvent,
  registrationEvent,
  type RegisterPhoneOptions,
} from './registration-events.js';
import type { Registration } from './registrations.js';

export class PhoneRegistry {
  private readonly regs = new Map<string, Registration>();

  constructor(
    private readonly factory: EventFactory,
    private readonly broadcast: (ev: FsEvent) => void,
  ) {}

  find(user: string, domain: string): Registration | undefined {
    return this.regs.get(`${user}@${domain}`);
  }

  all(): Registration[] {
    return [...this.regs.values()];
  }

  register(o: RegisterPhoneOptions): Registration {
    const r = newRegistration(o);
    this.broadcast(registrationEvent(this.factory, 'pre_register', r));
    this.broadcast(registrationEvent(this.factory, 'register_attempt', r));
    this.regs.set(`${r.user}@${r.domain}`, r);
    this.broadcast(registrationEvent(this.factory, 'register', r));
    return r;
  }

  /** Drops a registration with `unregister` (Expires: 0) or `expire`. */
  drop(user: string, domain: string, kind: 'unregister' | 'expire'): boolean {
    const r = this.regs.get(`${user}@${domain}`);
    if (!r) return false;
    this.regs.delete(`${user}@${domain}`);
    this.broadcast(registrationEvent(this.factory, kind, r));
    return true;
  }

  /**
   * `sofia profile <p> flush_inbound_reg [<call-id>|<user@host>]` (mod_sofia.c; sofia_reg.c sofia_reg_expire_call_id
   * / sofia_reg_check_expire): each matching registration of the profile is dropped with a sofia::expire.
   */
  flush(profile: string, target: string | undefined): void {
    for (const [key, r] of this.regs) {
      if (r.profile !== profile) continue;
      if (target !== undefined && target !== r.callId && target !== `${r.user}@${r.domain}`) continue;
      this.regs.delete(key);
      this.broadcast(registrationEvent(this.factory, 'expire', r));
    }
  }

  fail(o: Parameters<typeof registerFailureEvent>[1]): void {
    this.broadcast(registerFailureEvent(this.factory, o));
  }
}
