// The console's state that notifications change, as pure functions: each
// takes the current value and a notification's `data` and returns the next
// value (the same object when nothing changed), so views re-render only on
// real changes and the rules can be tested without a browser.

export interface Interaction {
  id: string;
  mediaType?: string;
  state: string;
  capabilities: string[];
  userData?: Record<string, unknown>;
  receivedDate?: string;
  offerExpiresAt?: string;
  subject?: string;
  from?: string;
  [key: string]: unknown;
}

export interface ChannelState {
  channel: string;
  userState: { id?: string; state: string; displayName?: string; reason?: string };
  dndState?: string;
}

// The caller's own interactions: offers (Invited) and those it works on.
export type InteractionMap = Readonly<Record<string, Interaction>>;

export const WORKING_STATES = new Set(['Processing', 'Composing', 'Chatting']);
const FAMILY_KEYS = ['workitem', 'email', 'chat', 'openmedia'] as const;

// The interaction a message of an agent topic carries, or undefined.
export function interactionOf(data: Record<string, unknown>): Interaction | undefined {
  for (const key of FAMILY_KEYS) {
    const v = data[key];
    if (v && typeof v === 'object' && typeof (v as Interaction).id === 'string') return v as Interaction;
  }
  return undefined;
}

// True while the interaction belongs in the caller's lists.
export function isMine(i: Interaction): boolean {
  return i.state === 'Invited' || WORKING_STATES.has(i.state);
}

// Applies an interaction state message (StatusChange, PropertiesUpdated,
// Error) to the caller's interactions. An interaction that leaves (Completed,
// Revoked, InWorkbin, Queued) is removed; PropertiesUpdated replaces one that
// is listed and never adds one.
export function applyInteractionMessage(map: InteractionMap, data: Record<string, unknown>): InteractionMap {
  const item = interactionOf(data);
  if (!item) return map;
  const listed = item.id in map;
  if (data.notificationType === 'PropertiesUpdated') {
    if (!listed || !isMine(item)) return map;
    return { ...map, [item.id]: item };
  }
  if (data.notificationType === 'Error' && !isMine(item) && !listed) return map;
  if (isMine(item)) return { ...map, [item.id]: item };
  if (!listed) return map;
  const next = { ...map };
  delete next[item.id];
  return next;
}

// The listed interactions in the given states, oldest first.
export function interactionsIn(map: InteractionMap, pick: (i: Interaction) => boolean): Interaction[] {
  return Object.values(map)
    .filter(pick)
    .sort((a, b) => (a.receivedDate ?? '').localeCompare(b.receivedDate ?? '') || a.id.localeCompare(b.id));
}

// Replaces the interactions with a fresh read (after sign-in or a
// re-handshake): nothing stale survives.
export function interactionsFromList(list: Interaction[]): InteractionMap {
  const map: Record<string, Interaction> = {};
  for (const i of list) if (isMine(i)) map[i.id] = i;
  return map;
}

// Channel states by channel name.
export type ChannelMap = Readonly<Record<string, ChannelState>>;

// Applies a ChannelStateChangeMessageV2: each channel it lists replaces the
// known one; a channel logged out is absent from later reads.
export function applyChannelMessage(map: ChannelMap, data: Record<string, unknown>): ChannelMap {
  const channels = data.channels;
  if (!Array.isArray(channels) || channels.length === 0) return map;
  const next: Record<string, ChannelState> = { ...map };
  for (const c of channels as ChannelState[]) if (c && typeof c.channel === 'string') next[c.channel] = c;
  return next;
}

// One workbin page as shown: its items, and the total when known.
export interface WorkbinPage {
  workbinId: string;
  items: Interaction[];
  totalCount?: number;
  // True when the page shows every item (no paging, sort by arrival, no
  // filter): only then an added item is put in the page directly.
  complete: boolean;
}

// Applies a WorkbinContentChanged message to the page of its workbin.
// ItemRemoved drops the row at once; ItemUpdated replaces it; ItemAdded adds
// it when the page shows the whole workbin. The caller reads the page again
// after any change (sort, filter and paging are the server's), so this is
// the immediate view, never the last word.
export function applyWorkbinMessage(page: WorkbinPage, data: Record<string, unknown>): WorkbinPage {
  if (data.messageType !== 'WorkbinContentChanged' || data.id !== page.workbinId) return page;
  const item = data.interaction as Interaction | undefined;
  if (!item || typeof item.id !== 'string') return page;
  const at = page.items.findIndex((i) => i.id === item.id);
  const total = page.totalCount;
  switch (data.action) {
    case 'ItemAdded':
      if (at >= 0) return page;
      return {
        ...page,
        items: page.complete ? [...page.items, item] : page.items,
        totalCount: total === undefined ? undefined : total + 1,
      };
    case 'ItemRemoved':
      if (at < 0) return total === undefined || page.complete ? page : { ...page, totalCount: Math.max(0, total - 1) };
      return {
        ...page,
        items: page.items.filter((i) => i.id !== item.id),
        totalCount: total === undefined ? undefined : Math.max(0, total - 1),
      };
    case 'ItemUpdated': {
      if (at < 0) return page;
      const items = page.items.slice();
      items[at] = item;
      return { ...page, items };
    }
    default:
      return page;
  }
}

// The workbin a WorkbinContentChanged message is about, or undefined.
export function workbinOfMessage(data: Record<string, unknown>): string | undefined {
  return data.messageType === 'WorkbinContentChanged' && typeof data.id === 'string' ? data.id : undefined;
}

// Counts from a WorkbinStatsMessage: shape A (RequestStats, one workbin:
// {owner: {NumberOfInteractions}}) and shape B (RequestAgentStats, by
// workbin id: {Count}). Returns workbin id -> count.
export function countsFromStats(data: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  const stats = data.workbinStats as Record<string, Record<string, unknown>> | undefined;
  if (data.messageType !== 'WorkbinStatsMessage' || !stats) return out;
  if (typeof data.id === 'string') {
    for (const v of Object.values(stats)) {
      if (typeof v?.NumberOfInteractions === 'number') out[data.id] = v.NumberOfInteractions;
    }
    return out;
  }
  for (const [id, v] of Object.entries(stats)) if (typeof v?.Count === 'number') out[id] = v.Count;
  return out;
}
