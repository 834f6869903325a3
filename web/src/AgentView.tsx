// The agent's console: channel states (Ready / NotReady), offers with a
// countdown, the interactions in hand, and the workbins the agent can see.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { attempt, useSession } from './context';
import { secondsLeft, titleOf } from './format';
import { MyInteractions, useMyInteractions } from './Interactions';
import { routeOfMedia } from './api';
import { applyChannelMessage, interactionsIn, WORKING_STATES, type ChannelMap, type ChannelState, type Interaction } from './store';
import { WorkbinTable, type WorkbinInfo } from './WorkbinTable';

const CHANNELS = ['workitem', 'email', 'chat'];

function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(t);
  }, []);
  return now;
}

function Channels() {
  const session = useSession();
  const [channels, setChannels] = useState<ChannelMap>({});
  const load = async () => {
    const r = await session.api.get('/me/channels?fields=*');
    const map: Record<string, ChannelState> = {};
    for (const c of (r.channels ?? []) as ChannelState[]) map[c.channel] = c;
    setChannels(map);
  };
  useEffect(() => void attempt(session, load), [session.resync]);
  useEffect(
    () =>
      session.bus.listen((channel, data) => {
        if (channel === '/v2/me/channels') setChannels((m) => applyChannelMessage(m, data));
      }),
    [],
  );
  const set = (channel: string, ready: boolean) =>
    attempt(session, () => session.api.post(`/me/channels/${channel}`, { operationName: ready ? 'Ready' : 'NotReady' }));
  return (
    <section aria-labelledby="channels-h" class="panel">
      <h2 id="channels-h">My channels</h2>
      <ul class="channels">
        {CHANNELS.map((name) => {
          const c = channels[name];
          const state = c?.userState?.state;
          return (
            <li key={name} data-channel={name}>
              <span class="channel-name">{name}</span>{' '}
              <span class={`state state-${state ?? 'none'}`} data-testid={`channel-state-${name}`}>
                {c ? (c.userState.displayName ?? state) : 'Logged out'}
              </span>{' '}
              {c && (
                <button type="button" onClick={() => void set(name, state !== 'Ready')}>
                  {state === 'Ready' ? `Not ready on ${name}` : `Ready on ${name}`}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Offers({ offers }: { offers: Interaction[] }) {
  const session = useSession();
  const now = useNow();
  const act = (i: Interaction, op: 'Accept' | 'Reject') =>
    attempt(session, () => session.api.post(`/me/${routeOfMedia(i.mediaType)}/${i.id}`, { operationName: op }));
  return (
    <section aria-labelledby="offers-h" class="panel">
      <h2 id="offers-h">Offers</h2>
      <div aria-live="polite">
        {offers.length === 0 ? (
          <p class="empty">No offers. Go Ready on a channel to receive work.</p>
        ) : (
          <ul class="offers">
            {offers.map((i) => {
              const left = secondsLeft(i.offerExpiresAt, now);
              return (
                <li key={i.id} class="offer" data-id={i.id}>
                  <strong>{titleOf(i)}</strong> <span class="muted">{i.mediaType}</span>
                  {left !== null && (
                    <span class="countdown" role="timer" aria-label={`${left} seconds left`}>
                      {' '}
                      {left}s
                    </span>
                  )}{' '}
                  <button type="button" class="primary" onClick={() => void act(i, 'Accept')}>
                    Accept
                  </button>{' '}
                  <button type="button" onClick={() => void act(i, 'Reject')}>
                    Reject
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </section>
  );
}

export function AgentView() {
  const session = useSession();
  const mine = useMyInteractions();
  const [workbins, setWorkbins] = useState<WorkbinInfo[]>([]);

  const loadWorkbins = async () => {
    const r = await session.api.get('/workbins?fields=*');
    const list = (r.workbins ?? []) as WorkbinInfo[];
    setWorkbins(list);
    // Group and place workbins notify only their subscribers.
    const shared = list.filter((w) => w.type !== 'Agent').map((w) => w.id);
    if (shared.length) await session.api.post(`/workbins?workbinIds=${shared.join(',')}`, { operationName: 'Subscribe' });
  };
  useEffect(() => void attempt(session, loadWorkbins), [session.resync]);

  const offers = useMemo(() => interactionsIn(mine, (i) => i.state === 'Invited'), [mine]);
  const working = useMemo(() => interactionsIn(mine, (i) => WORKING_STATES.has(i.state)), [mine]);
  const own = workbins.filter((w) => w.type === 'Agent' || w.type === 'Place');
  const groups = workbins.filter((w) => w.type === 'AgentGroup' || w.type === 'PlaceGroup');
  const pull = (w: WorkbinInfo) => ({
    label: 'Pull',
    run: (item: Interaction) => session.api.post(`/workbins/${w.id}`, { operationName: 'PullInteraction', id: item.id }),
  });

  return (
    <div class="agent">
      <div class="columns">
        <Channels />
        <Offers offers={offers} />
      </div>
      <MyInteractions items={working} workbins={workbins} />
      <section aria-labelledby="mybins-h" class="panel">
        <h2 id="mybins-h">My workbins</h2>
        {own.length === 0 && <p class="empty">No workbins.</p>}
        {own.map((w) => (
          <WorkbinTable key={w.id} workbin={w} path={`/workbins/${w.id}`} actions={[pull(w)]} moveTargets={workbins} />
        ))}
      </section>
      <section aria-labelledby="groupbins-h" class="panel">
        <h2 id="groupbins-h">My groups' workbins</h2>
        {groups.length === 0 && <p class="empty">No group workbins.</p>}
        {groups.map((w) => (
          <WorkbinTable key={w.id} workbin={w} path={`/workbins/${w.id}`} actions={[pull(w)]} moveTargets={workbins} />
        ))}
      </section>
    </div>
  );
}
