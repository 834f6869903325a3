// One workbin as a table: its items with paging, sort and a user-data
// filter (the server's extension parameters), the total count, and per-row
// actions. Live: WorkbinContentChanged messages for this workbin change the
// rows at once, then the current page is read again.
import { useEffect, useRef, useState } from 'preact/hooks';
import { attempt, useSession } from './context';
import { shortDate, titleOf } from './format';
import {
  hasNext, hasPrevious, initialPaging, nextPage, pageQuery, previousPage, rangeLabel, showsEverything,
  withFilter, withLimit, withReply, withSort, type PagingState,
} from './paging';
import { applyWorkbinMessage, workbinOfMessage, type Interaction, type WorkbinPage } from './store';

export interface WorkbinInfo {
  id: string;
  name: string;
  displayName?: string;
  type: string;
  ownerId?: string;
  agentGroup?: string;
  place?: string;
  placeGroup?: string;
}

export interface RowAction {
  label: string;
  run: (item: Interaction) => Promise<unknown>;
}

interface Props {
  workbin: WorkbinInfo;
  // The route of the workbin, relative to /api/v2 (e.g. /workbins/{id} or
  // /users/{userId}/workbins/{id}).
  path: string;
  actions: RowAction[];
  // Other workbins an item can be moved to (MoveInteraction); none: no move.
  moveTargets?: WorkbinInfo[];
  // Known from stats (RequestStats / RequestAgentStats), shown beside the title.
  statsCount?: number;
}

const MEDIA_KEYS = ['workitems', 'emails', 'chats', 'tweets', 'facebooks', 'facebooksessions', 'openmedia'];

export function itemsOfContent(workbin: Record<string, unknown>): Interaction[] {
  const out: Interaction[] = [];
  for (const k of MEDIA_KEYS) {
    const list = workbin[k];
    if (Array.isArray(list)) out.push(...(list as Interaction[]));
  }
  return out;
}

export function WorkbinTable({ workbin, path, actions, moveTargets = [], statsCount }: Props) {
  const session = useSession();
  const [paging, setPaging] = useState<PagingState>(() => initialPaging(10));
  const [page, setPage] = useState<WorkbinPage>({ workbinId: workbin.id, items: [], complete: true });
  const [loading, setLoading] = useState(true);
  const [filterKey, setFilterKey] = useState('');
  const [filterValue, setFilterValue] = useState('');
  const [moveTo, setMoveTo] = useState<Record<string, string>>({});
  const pagingRef = useRef(paging);
  pagingRef.current = paging;
  const reloadTimer = useRef<number | undefined>(undefined);
  const generation = useRef(0);

  async function load(p: PagingState) {
    const mine = ++generation.current;
    try {
      const r = await session.api.get(`${path}?${pageQuery(p).toString()}`);
      if (mine !== generation.current) return;
      const next = withReply(p, r);
      setPaging(next);
      setPage({
        workbinId: workbin.id,
        items: itemsOfContent(r.workbin ?? {}),
        totalCount: typeof r.totalCount === 'number' ? r.totalCount : undefined,
        complete: showsEverything(next),
      });
    } catch (e) {
      if (mine === generation.current) session.report(e instanceof Error ? e.message : String(e));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }

  useEffect(() => {
    void load(pagingRef.current);
  }, [path, session.resync]);

  useEffect(
    () =>
      session.bus.listen((_channel, data) => {
        if (workbinOfMessage(data) !== workbin.id) return;
        setPage((pg) => applyWorkbinMessage(pg, data));
        window.clearTimeout(reloadTimer.current);
        reloadTimer.current = window.setTimeout(() => void load(pagingRef.current), 150);
      }),
    [workbin.id, path],
  );
  useEffect(() => () => window.clearTimeout(reloadTimer.current), []);

  const change = (p: PagingState) => {
    setPaging(p);
    void load(p);
  };
  const title = workbin.displayName || workbin.name;
  const owner = workbin.agentGroup ?? workbin.placeGroup ?? workbin.place ?? '';
  const headingId = `wb-${workbin.id}-${path.startsWith('/users/') ? 'u' : 'm'}`;
  const count = page.totalCount ?? statsCount;
  const targets = moveTargets.filter((t) => t.id !== workbin.id);

  return (
    <section class="workbin" aria-labelledby={headingId} data-workbin={workbin.name}>
      <header class="workbin-head">
        <h3 id={headingId}>
          {title}
          {owner && <span class="muted"> · {owner}</span>}{' '}
          <span class="count" aria-label="items">{count ?? '…'}</span>
        </h3>
        <div class="toolbar">
          <label>
            Sort{' '}
            <select value={paging.sort} onChange={(e) => change(withSort(paging, (e.target as HTMLSelectElement).value))}>
              <option value="">Oldest first</option>
              <option value="-receivedDate">Newest first</option>
              <option value="userData.Subject">Subject A–Z</option>
              <option value="-userData.Subject">Subject Z–A</option>
            </select>
          </label>
          <form
            class="filter"
            onSubmit={(e) => {
              e.preventDefault();
              change(withFilter(paging, filterKey, filterValue));
            }}
          >
            <label>
              Key <input size={8} value={filterKey} onInput={(e) => setFilterKey((e.target as HTMLInputElement).value)} />
            </label>
            <label>
              equals <input size={8} value={filterValue} onInput={(e) => setFilterValue((e.target as HTMLInputElement).value)} />
            </label>
            <button type="submit">Filter</button>
          </form>
          <label>
            Rows{' '}
            <select value={String(paging.limit)} onChange={(e) => change(withLimit(paging, Number((e.target as HTMLSelectElement).value)))}>
              {[5, 10, 25, 50].map((n) => (
                <option value={String(n)}>{n}</option>
              ))}
            </select>
          </label>
        </div>
      </header>
      {loading ? (
        <p class="muted">Loading…</p>
      ) : page.items.length === 0 ? (
        <p class="empty">This workbin is empty{paging.filterKey && paging.filterValue ? ' for this filter' : ''}.</p>
      ) : (
        <table>
          <caption class="sr-only">Items of {title}</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Type</th>
              <th scope="col">Received</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((item) => (
              <tr key={item.id} data-id={item.id}>
                <td>{titleOf(item)}</td>
                <td>{item.mediaType}</td>
                <td>{shortDate(item.receivedDate)}</td>
                <td class="actions">
                  {actions.map((a) => (
                    <button type="button" onClick={() => void attempt(session, () => a.run(item))} aria-label={`${a.label} ${titleOf(item)}`}>
                      {a.label}
                    </button>
                  ))}
                  {targets.length > 0 && (
                    <span class="move">
                      <select
                        aria-label={`Move ${titleOf(item)} to`}
                        value={moveTo[item.id] ?? targets[0].id}
                        onChange={(e) => setMoveTo({ ...moveTo, [item.id]: (e.target as HTMLSelectElement).value })}
                      >
                        {targets.map((t) => (
                          <option value={t.id}>{t.displayName || t.name}{t.agentGroup ? ` (${t.agentGroup})` : ''}</option>
                        ))}
                      </select>
                      <button
                        type="button"
                        onClick={() =>
                          void attempt(session, () =>
                            session.api.post(path, { operationName: 'MoveInteraction', id: item.id, toWorkbinId: moveTo[item.id] ?? targets[0].id }),
                          )
                        }
                      >
                        Move
                      </button>
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav class="pager" aria-label={`Pages of ${title}`}>
        <button type="button" disabled={!hasPrevious(paging)} onClick={() => change(previousPage(paging))}>
          Previous
        </button>
        <span aria-live="polite">{rangeLabel({ ...paging, totalCount: page.totalCount ?? paging.totalCount }, page.items.length)}</span>
        <button type="button" disabled={!hasNext(paging)} onClick={() => change(nextPage(paging))}>
          Next
        </button>
      </nav>
    </section>
  );
}
