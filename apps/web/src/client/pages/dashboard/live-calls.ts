import { LiveCallChangeSchema, LiveCallListSchema, type LiveCall } from '@pbx/contracts/calls';
import { useEffect, useState } from 'react';
import { paths } from '../../api.js';

export type LiveState = { calls: LiveCall[]; connected: boolean };

/**
 * The tenant's live call legs from the API's event stream: a `snapshot`, then one `change` per leg added,
 * changed or gone. EventSource reconnects by itself; each reconnection starts with a fresh snapshot.
 */
export function useLiveCalls(tenantId: string): LiveState {
  const [state, setState] = useState<LiveState>({ calls: [], connected: false });
  useEffect(() => {
    const legs = new Map<string, LiveCall>();
    const publish = (connected: boolean) =>
      setState({
        calls: [...legs.values()].sort((x, y) => x.createdAt.localeCompare(y.createdAt)),
        connected,
      });
    const source = new EventSource(`${paths.tenant(tenantId)}/live-calls/stream`);
    source.addEventListener('snapshot', (e) => {
      const parsed = LiveCallListSchema.safeParse(JSON.parse((e as MessageEvent<string>).data));
      if (!parsed.success) return;
      legs.clear();
      for (const c of parsed.data.items) legs.set(c.uuid, c);
      publish(true);
    });
    source.addEventListener('change', (e) => {
      const parsed = LiveCallChangeSchema.safeParse(JSON.parse((e as MessageEvent<string>).data));
      if (!parsed.success) return;
      if (parsed.data.type === 'upsert') legs.set(parsed.data.call.uuid, parsed.data.call);
      else legs.delete(parsed.data.uuid);
      publish(true);
    });
    source.addEventListener('error', () => publish(false));
    return () => source.close();
  }, [tenantId]);
  return state;
}
