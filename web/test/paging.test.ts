import { describe, expect, it } from 'vitest';
import {
  hasNext, hasPrevious, initialPaging, nextPage, pageQuery, previousPage, rangeLabel, showsEverything, withFilter,
  withLimit, withReply, withSort,
} from '../src/paging';

describe('paging state', () => {
  it('the first page asks for the limit only', () => {
    const p = initialPaging(10);
    expect(pageQuery(p).toString()).toBe('limit=10');
    expect(hasPrevious(p)).toBe(false);
    expect(hasNext(p)).toBe(false);
  });

  it('walks forward with the reply cursors and back with the kept ones', () => {
    let p = withReply(initialPaging(2), { nextCursor: 'c1', totalCount: 5 });
    expect(hasNext(p)).toBe(true);
    expect(rangeLabel(p, 2)).toBe('1–2 of 5');
    p = nextPage(p);
    expect(pageQuery(p).get('cursor')).toBe('c1');
    p = withReply(p, { nextCursor: 'c2', totalCount: 5 });
    p = nextPage(p);
    expect(pageQuery(p).get('cursor')).toBe('c2');
    p = withReply(p, { totalCount: 5 });
    expect(hasNext(p)).toBe(false);
    expect(rangeLabel(p, 1)).toBe('5–5 of 5');
    expect(nextPage(p)).toBe(p);
    p = previousPage(p);
    expect(pageQuery(p).get('cursor')).toBe('c1');
    p = previousPage(p);
    expect(pageQuery(p).has('cursor')).toBe(false);
    expect(previousPage(p)).toBe(p);
  });

  it('a new page after going back forgets the later cursors', () => {
    let p = nextPage(withReply(initialPaging(2), { nextCursor: 'c1' }));
    p = nextPage(withReply(p, { nextCursor: 'c2' }));
    p = previousPage(p);
    p = nextPage(withReply(p, { nextCursor: 'c2b' }));
    expect(p.cursors).toEqual([null, 'c1', 'c2b']);
  });

  it('sort, filter and page size start again from the first page and keep each other', () => {
    let p = nextPage(withReply(initialPaging(2), { nextCursor: 'c1' }));
    p = withSort(p, '-receivedDate');
    expect(p.page).toBe(0);
    expect(pageQuery(p).toString()).toBe('limit=2&sort=-receivedDate');
    p = withFilter(p, ' Priority ', '2');
    expect(pageQuery(p).toString()).toBe('limit=2&sort=-receivedDate&userData.Priority=2');
    p = withLimit(p, 25);
    expect(pageQuery(p).toString()).toBe('limit=25&sort=-receivedDate&userData.Priority=2');
    expect(showsEverything(p)).toBe(false);
    expect(pageQuery(withFilter(p, 'Priority', '')).has('userData.Priority')).toBe(false);
  });

  it('only the first, unsorted, unfiltered, single page shows everything', () => {
    const p = initialPaging(10);
    expect(showsEverything(p)).toBe(true);
    expect(showsEverything(withReply(p, { nextCursor: 'c' }))).toBe(false);
    expect(showsEverything(withSort(p, 'userData.Subject'))).toBe(false);
    expect(rangeLabel(p, 0)).toBe('No items');
    expect(rangeLabel(withReply(p, { totalCount: 0 }), 0)).toBe('0 of 0');
  });
});
