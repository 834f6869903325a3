import type { Interaction } from './store';

// "2024-05-14 09:30:12.000+0000" -> "09:30:12" today, else "2024-05-14 09:30".
export function shortDate(gws: string | undefined): string {
  if (!gws) return '';
  const m = gws.match(/^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})/);
  if (!m) return gws;
  const today = new Date().toISOString().slice(0, 10);
  return m[1] === today ? m[2] : `${m[1]} ${m[2].slice(0, 5)}`;
}

// The words that name an interaction in a table.
export function titleOf(i: Interaction): string {
  const ud = i.userData ?? {};
  const subject = (typeof i.subject === 'string' && i.subject) || ud.Subject || ud.subject;
  return subject ? String(subject) : `${i.mediaType ?? 'interaction'} ${i.id}`;
}

export function userDataEntries(i: Interaction): [string, string][] {
  return Object.entries(i.userData ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]);
}

// Seconds left until an ISO time, never below 0.
export function secondsLeft(iso: string | undefined, now: number): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  return Math.max(0, Math.round((t - now) / 1000));
}

// User-data keys the server writes; requests may not set or delete them.
const SYSTEM_KEYS = new Set([
  'InteractionId', 'ContactId', 'Workbin', 'WorkbinAgentId', 'WorkbinPlaceId', 'WorkbinAgentGroupId', 'WorkbinPlaceGroupId',
]);

export function isSystemKey(key: string): boolean {
  return SYSTEM_KEYS.has(key);
}
