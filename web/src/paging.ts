// Paging, sorting and filtering of one workbin table, as a plain value. The
// server pages with opaque cursors (docs/workbins.md): going forward uses
// the reply's nextCursor; going back uses the cursor that opened the earlier
// page, so the state keeps the cursors of the pages on the way.

export interface PagingState {
  limit: number;
  sort: string; // "" (arrival order), "receivedDate", "-receivedDate", "userData.Key", "-userData.Key"
  filterKey: string; // a user-data key, or "" for none
  filterValue: string;
  // cursors[i] opened page i (cursors[0] is always null: the first page).
  cursors: (string | null)[];
  page: number; // index into cursors
  nextCursor: string | null; // from the last reply
  totalCount: number | null; // from the last reply
}

export function initialPaging(limit = 10): PagingState {
  return { limit, sort: '', filterKey: '', filterValue: '', cursors: [null], page: 0, nextCursor: null, totalCount: null };
}

// The query parameters of the current page.
export function pageQuery(p: PagingState): URLSearchParams {
  const q = new URLSearchParams();
  q.set('limit', String(p.limit));
  const cursor = p.cursors[p.page];
  if (cursor) q.set('cursor', cursor);
  if (p.sort) q.set('sort', p.sort);
  if (p.filterKey.trim() && p.filterValue !== '') q.set(`userData.${p.filterKey.trim()}`, p.filterValue);
  return q;
}

// Takes what a content reply says about paging.
export function withReply(p: PagingState, reply: { nextCursor?: string; totalCount?: number }): PagingState {
  return { ...p, nextCursor: reply.nextCursor ?? null, totalCount: typeof reply.totalCount === 'number' ? reply.totalCount : null };
}

export function hasNext(p: PagingState): boolean {
  return p.nextCursor !== null;
}

export function hasPrevious(p: PagingState): boolean {
  return p.page > 0;
}

export function nextPage(p: PagingState): PagingState {
  if (!p.nextCursor) return p;
  const cursors = p.cursors.slice(0, p.page + 1);
  cursors.push(p.nextCursor);
  return { ...p, cursors, page: p.page + 1, nextCursor: null };
}

export function previousPage(p: PagingState): PagingState {
  if (p.page === 0) return p;
  return { ...p, page: p.page - 1, nextCursor: null };
}

// A new sort, filter or page size starts again from the first page.
export function withSort(p: PagingState, sort: string): PagingState {
  return { ...initialPaging(p.limit), filterKey: p.filterKey, filterValue: p.filterValue, sort };
}

export function withFilter(p: PagingState, key: string, value: string): PagingState {
  return { ...initialPaging(p.limit), sort: p.sort, filterKey: key, filterValue: value };
}

export function withLimit(p: PagingState, limit: number): PagingState {
  return { ...initialPaging(limit), sort: p.sort, filterKey: p.filterKey, filterValue: p.filterValue };
}

// True when the page shows the whole workbin in arrival order, so that an
// added item can be put in it without a new read.
export function showsEverything(p: PagingState): boolean {
  return p.page === 0 && p.nextCursor === null && !p.sort && !(p.filterKey.trim() && p.filterValue !== '');
}

// "11–20 of 42" style label.
export function rangeLabel(p: PagingState, shown: number): string {
  const first = p.page * p.limit + 1;
  if (shown === 0) return p.totalCount === null ? 'No items' : `0 of ${p.totalCount}`;
  const last = first + shown - 1;
  return p.totalCount === null ? `${first}–${last}` : `${first}–${last} of ${p.totalCount}`;
}
