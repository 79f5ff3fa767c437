// Which outbound (`socket` app) connections an event is offered to.
//
// FreeSWITCH's event_handler (src/mod/event_handlers/mod_event_socket/mod_event_socket.c) offers every event to every
// listener and each listener decides: subscribed (`event` / `myevents` set its event list), then its `filter`s, then,
// for a listener with LFLAG_MYEVENTS, only an event whose `Unique-ID` is its own channel's (or, since 1.10, whose
// `Job-Owner-UUID` is: the BACKGROUND_JOB of its own bgapi). A `myevents` socket therefore never sees another
// call's events. Each session still makes that whole decision itself (OutboundSession.deliver); this index only
// skips the sessions whose decision is known to be "no", so an event costs one map lookup instead of a header
// scan per live socket (O(calls²) per node with every call on its own socket).

/** What the routing needs of an outbound session. */
export interface RoutedSocket {
  /** The channel the socket controls. */
  readonly uuid: string;
  deliver(ev: RoutedEvent): void;
  destroy(): void;
}

export interface RoutedEvent {
  readonly name: string;
  get(header: string): string | undefined;
}

export class OutboundRouting {
  /** Every open outbound socket. */
  readonly all = new Set<RoutedSocket>();
  /** Sockets without `myevents`: they may want events of any channel. */
  private readonly anyChannel = new Set<RoutedSocket>();
  /** Sockets with `myevents`, by the channel they control. */
  private readonly byChannel = new Map<string, Set<RoutedSocket>>();

  add(s: RoutedSocket): void {
    this.all.add(s);
    this.anyChannel.add(s);
  }

  /** The socket sent `myevents`: from now on it only takes its own channel's events. */
  ownEventsOnly(s: RoutedSocket): void {
    if (!this.all.has(s)) return;
    this.anyChannel.delete(s);
    let set = this.byChannel.get(s.uuid);
    if (!set) this.byChannel.set(s.uuid, (set = new Set()));
    set.add(s);
  }

  remove(s: RoutedSocket): void {
    this.all.delete(s);
    this.anyChannel.delete(s);
    const set = this.byChannel.get(s.uuid);
    if (set?.delete(s) && set.size === 0) this.byChannel.delete(s.uuid);
  }

  deliver(ev: RoutedEvent): void {
    for (const s of this.anyChannel) s.deliver(ev);
    if (this.byChannel.size === 0) return;
    const uuid = ev.get('Unique-ID');
    const mine = uuid === undefined ? undefined : this.byChannel.get(uuid);
    if (mine) for (const s of mine) s.deliver(ev);
    if (ev.name !== 'BACKGROUND_JOB') return;
    const owner = ev.get('Job-Owner-UUID');
    const owners = owner === undefined || owner === uuid ? undefined : this.byChannel.get(owner);
    if (owners) for (const s of owners) s.deliver(ev);
  }
}
