import { expect } from 'chai';
import fc from 'fast-check';
import { decodeCursor, encodeCursor, paginate, type Page } from '../../src/index.js';

describe('Http > pagination', () => {
  it('walks a list with next_cursor, every item once and in order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 60 }), fc.integer({ min: 1, max: 25 }), (items, pageSize) => {
        const seen: number[] = [];
        let page: Page<number> = paginate(items, { page_size: pageSize });
        let pages = 1;
        for (;;) {
          expect(page.pagination_data.total).to.equal(items.length);
          seen.push(...page.data);
          if (page.pagination_data.next_cursor === null) break;
          page = paginate(items, { page_size: pageSize, cursor: page.pagination_data.next_cursor });
          pages++;
        }
        expect(seen).to.deep.equal(items);
        expect(pages).to.equal(Math.max(1, Math.ceil(items.length / pageSize)));
      }),
    );
  });

  it('leads back one page with previous_cursor, and has none on the first page', () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    const first = paginate(items, { page_size: 4 });
    const second = paginate(items, { page_size: 4, cursor: first.pagination_data.next_cursor! });
    const back = paginate(items, { page_size: 4, cursor: second.pagination_data.previous_cursor! });
    expect([first.pagination_data.previous_cursor, second.data, back.data]).to.deep.equal([null, [4, 5, 6, 7], [0, 1, 2, 3]]);
  });

  it('returns an empty page past the end', () => {
    const page = paginate([1, 2, 3], { page_size: 2, cursor: encodeCursor(10) });
    expect([page.data, page.pagination_data.next_cursor, decodeCursor(page.pagination_data.previous_cursor!)]).to.deep.equal([[], null, 1]);
  });

  it('accepts its own cursors and rejects every other string with RUNTIME_INVALID_CURSOR', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.base64String(), fc.nat().map(encodeCursor)), (cursor) => {
        let decoded: number | undefined;
        try {
          decoded = decodeCursor(cursor);
        } catch (err) {
          expect([(err as { code?: string }).code, (err as { field?: string }).field]).to.deep.equal(['RUNTIME_INVALID_CURSOR', 'cursor']);
          return;
        }
        expect(encodeCursor(decoded)).to.equal(cursor);
      }),
    );
  });
});
