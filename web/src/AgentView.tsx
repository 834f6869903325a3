// The agent's console: channel states (Ready / NotReady), offers with a
// countdown, the interactions in hand with their user data and operations,
// and the workbins the agent can see.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { FAMILIES, routeOfMedia } from './api';
import { attempt, useSession } from './context';
import { isSystemKey, secondsLeft, shortDate, titleOf, userDataEntries } from './format';
import {
  applyChannelMessage, applyInteractionMessage, interactionsFromList, interactionsIn, WORKING_STATES,
  type ChannelMap, type ChannelState, type Interaction, type InteractionMap,
} from './store';
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

// How a workbin is named in a list: its display name, and its owner when
// workbins of several owners are offered.
export type WorkbinLabel = (w: WorkbinInfo) => string;
const plainLabel: WorkbinLabel = (w) => w.displayName || w.name;

function InteractionDetails({ item, workbins, labelOf }: { item: Interaction; workbins: WorkbinInfo[]; labelOf: WorkbinLabel }) {
  const session = useSession();
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [queue, setQueue] = useState('workitems-in');
  const [transferKind, setTransferKind] = useState<'queue' | 'user'>('queue');
  const [transferTarget, setTransferTarget] = useState('workitems-in');
  const [picked, setWorkbin] = useState('');
  const workbin = workbins.some((w) => w.id === picked) ? picked : (workbins[0]?.id ?? '');
  const base = `/me/${routeOfMedia(item.mediaType)}/${item.id}`;
  const post = (body: Record<string, unknown>) => attempt(session, () => session.api.post(base, body));
  const can = (op: string) => item.capabilities.includes(op);
  const title = titleOf(item);
  return (
    <div class="details">
      <table class="userdata">
        <caption>User data of {title}</caption>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Value</th>
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {userDataEntries(item).map(([k, v]) => (
            <tr key={k}>
              <td>{k}</td>
              <td>{v}</td>
              <td>
                {isSystemKey(k) ? (
                  <span class="muted">set by the server</span>
                ) : can('DeleteUserData') && (
                  <button type="button" aria-label={`Delete ${k}`} onClick={() => void post({ operationName: 'DeleteUserData', keys: [k] })}>
                    Delete
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {can('UpdateUserData') && (
        <form
          class="inline"
          onSubmit={async (e) => {
            e.preventDefault();
            if (await post({ operationName: 'UpdateUserData', userData: { [key.trim()]: value } })) {
              setKey('');
              setValue('');
            }
          }}
        >
          <label>
            Key <input required value={key} onInput={(e) => setKey((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            Value <input value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit">Attach / update</button>
        </form>
      )}
      <div class="ops">
        {can('Complete') && (
          <button type="button" class="primary" onClick={() => void post({ operationName: 'Complete' })}>
            Complete
          </button>
        )}
        {can('Transfer') && (
          <form
            class="inline"
            onSubmit={(e) => {
              e.preventDefault();
              void post(
                transferKind === 'queue'
                  ? { operationName: 'Transfer', queueName: transferTarget }
                  : { operationName: 'Transfer', userUri: `/users/${transferTarget}` },
              );
            }}
          >
            <label>
              Transfer to{' '}
              <select value={transferKind} onChange={(e) => setTransferKind((e.target as HTMLSelectElement).value as 'queue' | 'user')}>
                <option value="queue">queue</option>
                <option value="user">user id</option>
              </select>
            </label>
            <input aria-label="Transfer target" required value={transferTarget} onInput={(e) => setTransferTarget((e.target as HTMLInputElement).value)} />
            <button type="submit">Transfer</button>
          </form>
        )}
        {can('PlaceInQueue') && (
          <form
            class="inline"
            onSubmit={(e) => {
              e.preventDefault();
              void post({ operationName: 'PlaceInQueue', queueName: queue });
            }}
          >
            <label>
              Queue <input required value={queue} onInput={(e) => setQueue((e.target as HTMLInputElement).value)} />
            </label>
            <button type="submit">Place in queue</button>
          </form>
        )}
        {workbins.length > 0 && (
          <form
            class="inline"
            onSubmit={(e) => {
              e.preventDefault();
              void attempt(session, () => session.api.post(`/workbins/${workbin}`, { operationName: 'AddInteraction', id: item.id }));
            }}
          >
            <label for={`workbin-of-${item.id}`}>Workbin</label>
            <select id={`workbin-of-${item.id}`} value={workbin} onChange={(e) => setWorkbin((e.target as HTMLSelectElement).value)}>
              {workbins.map((w) => (
                <option value={w.id}>{labelOf(w)}</option>
              ))}
            </select>
            <button type="submit">Add to workbin</button>
          </form>
        )}
      </div>
    </div>
  );
}

export function MyInteractions({
  items,
  workbins,
  labelOf = plainLabel,
}: {
  items: Interaction[];
  workbins: WorkbinInfo[];
  labelOf?: WorkbinLabel;
}) {
  const [open, setOpen] = useState<string | null>(null);
  const shown = open ?? (items.length === 1 ? items[0].id : null);
  return (
    <section aria-labelledby="mine-h" class="panel">
      <h2 id="mine-h">My interactions</h2>
      {items.length === 0 ? (
        <p class="empty">Nothing in hand. Accept an offer or pull an item from a workbin.</p>
      ) : (
        <ul class="mine">
          {items.map((i) => (
            <li key={i.id} data-id={i.id} class={shown === i.id ? 'open' : ''}>
              <button type="button" class="disclosure" aria-expanded={shown === i.id} onClick={() => setOpen(shown === i.id ? '' : i.id)}>
                <strong>{titleOf(i)}</strong> <span class="muted">{i.mediaType} · {i.state} · {shortDate(i.receivedDate)}</span>
              </button>
              {shown === i.id && <InteractionDetails item={i} workbins={workbins} labelOf={labelOf} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

// The caller's interactions (offers and in hand), read at start and at every
// re-synchronisation, changed live by the agent topics.
export function useMyInteractions(): InteractionMap {
  const session = useSession();
  const [mine, setMine] = useState<InteractionMap>({});
  const loadInteractions = async () => {
    const all: Interaction[] = [];
    for (const f of FAMILIES) {
      const r = await session.api.get(`/me/${f.route}?fields=*`);
      all.push(...((r[f.key] ?? []) as Interaction[]));
    }
    setMine(interactionsFromList(all));
  };
  useEffect(() => void attempt(session, loadInteractions), [session.resync]);
  useEffect(
    () =>
      session.bus.listen((channel, data) => {
        if (/^\/v2\/me\/(workitems|emails|chats|openmedia)$/.test(channel)) {
          setMine((m) => applyInteractionMessage(m, data));
          if (data.notificationType === 'Error' && typeof data.errorMessage === 'string') session.report(data.errorMessage);
        }
      }),
    [],
  );
  return mine;
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
