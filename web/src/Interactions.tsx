// The caller's own interactions: read at start and at every
// re-synchronisation, changed live by the agent topics, and shown with their
// user data and the operations their capabilities allow (agents, and
// supervisors for what they pulled).
import { useEffect, useState } from 'preact/hooks';
import { FAMILIES, routeOfMedia } from './api';
import { attempt, useSession } from './context';
import { isSystemKey, shortDate, titleOf, userDataEntries } from './format';
import { applyInteractionMessage, interactionsFromList, type Interaction, type InteractionMap } from './store';
import type { WorkbinInfo } from './WorkbinTable';

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
