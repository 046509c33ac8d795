/**
 * The conformance suite every MemoryManager backend must pass. Run it for your own backend:
 * `memoryConformance('MyManager', { create, reopen? })`.
 */

import { InvalidInputError, type MemoryManager } from 'arshai';
import { describe, expect, it } from 'vitest';

export interface ConformanceBackend {
  /** A fresh manager; `namespace` separates tenants; `ttlMs` sets every type's TTL. */
  create(options: { namespace?: string; ttlMs?: number }): Promise<MemoryManager> | MemoryManager;
  /** A new manager over the same stored data (a restart), when the backend persists. */
  reopen?(options: { namespace?: string }): Promise<MemoryManager> | MemoryManager;
  /** Waits until `ms` of the backend's clock have passed. */
  advance(ms: number): Promise<void>;
}

let counter = 0;
const conversation = () => `conv-${process.pid}-${Date.now()}-${++counter}`;

export function memoryConformance(name: string, backend: ConformanceBackend): void {
  describe(`${name} conformance`, () => {
    it('stores, retrieves, updates and deletes', async () => {
      const m = await backend.create({});
      const c = conversation();
      const a = await m.store({
        conversationId: c,
        type: 'short-term',
        content: { text: 'hello' },
        metadata: { role: 'user' },
      });
      expect(a).toMatchObject({
        conversationId: c,
        type: 'short-term',
        content: { text: 'hello' },
        metadata: { role: 'user' },
      });
      await m.store({ conversationId: c, type: 'long-term', id: 'profile', content: 'likes tea' });
      expect((await m.retrieve({ conversationId: c })).map((e) => e.content)).toEqual([
        { text: 'hello' },
        'likes tea',
      ]);
      const updated = await m.update(
        { conversationId: c, type: 'long-term', id: 'profile' },
        { content: 'likes coffee', metadata: { v: 2 } },
      );
      expect(updated).toMatchObject({ content: 'likes coffee', metadata: { v: 2 } });
      expect(updated.createdAt).toBeLessThanOrEqual(updated.updatedAt);
      expect(await m.delete({ conversationId: c, type: 'short-term', id: a.id })).toBe(1);
      expect((await m.retrieve({ conversationId: c })).map((e) => e.id)).toEqual(['profile']);
      expect(await m.delete({ conversationId: c })).toBe(1);
      expect(await m.retrieve({ conversationId: c })).toEqual([]);
      await m.close();
    });

    it('honours type, query, filters and limit (newest N, oldest first)', async () => {
      const m = await backend.create({});
      const c = conversation();
      for (let i = 1; i <= 5; i++) {
        await m.store({
          conversationId: c,
          type: 'short-term',
          content: `Message ${i} about ${i % 2 ? 'Billing' : 'shipping'}`,
          metadata: { n: i, odd: i % 2 === 1 },
        });
      }
      await m.store({
        conversationId: c,
        type: 'working',
        id: 'summary',
        content: 'billing summary',
      });
      const byType = await m.retrieve({ conversationId: c, type: 'short-term' });
      expect(byType).toHaveLength(5);
      const q = await m.retrieve({ conversationId: c, query: 'billing' });
      expect(q.map((e) => e.content)).toEqual([
        'Message 1 about Billing',
        'Message 3 about Billing',
        'Message 5 about Billing',
        'billing summary',
      ]);
      const f = await m.retrieve({ conversationId: c, filters: { odd: false } });
      expect(f.map((e) => e.metadata.n)).toEqual([2, 4]);
      const limited = await m.retrieve({ conversationId: c, type: 'short-term', limit: 2 });
      expect(limited.map((e) => e.metadata.n)).toEqual([4, 5]);
      const combined = await m.retrieve({
        conversationId: c,
        type: 'short-term',
        query: 'billing',
        filters: { odd: true },
        limit: 1,
      });
      expect(combined.map((e) => e.metadata.n)).toEqual([5]);
      await m.close();
    });

    it('the newest N matches over many pages: filters, query, type, updates and deletions in between', async () => {
      const m = await backend.create({});
      const c = conversation();
      // 300 entries: every 7th is tagged, every 3rd is working memory; some are deleted.
      for (let n = 1; n <= 300; n++) {
        await m.store({
          conversationId: c,
          type: n % 3 === 0 ? 'working' : 'short-term',
          id: `e${n}`,
          content: { n, text: n % 10 === 0 ? 'Needle' : 'hay' },
          metadata: { tag: n % 7 === 0 ? 'x' : 'y', n },
        });
      }
      await m.delete({ conversationId: c, type: 'working', id: 'e294' });
      await m.delete({ conversationId: c, type: 'short-term', id: 'e287' });
      // An update keeps the entry's place (its first store).
      await m.update({ conversationId: c, type: 'short-term', id: 'e7' }, { metadata: { n: 7 } });
      const ns = (entries: Array<{ metadata: Record<string, unknown> }>) =>
        entries.map((e) => e.metadata.n);
      const all = await m.retrieve({ conversationId: c });
      expect(all).toHaveLength(298);
      const tagged = await m.retrieve({ conversationId: c, filters: { tag: 'x' }, limit: 5 });
      expect(ns(tagged)).toEqual([252, 259, 266, 273, 280]);
      const few = await m.retrieve({ conversationId: c, filters: { tag: 'x' }, limit: 100 });
      expect(ns(few)).toEqual(
        Array.from({ length: 42 }, (_, i) => (i + 1) * 7).filter((n) => n !== 294 && n !== 287),
      );
      const needles = await m.retrieve({
        conversationId: c,
        query: 'needle',
        type: 'working',
        limit: 3,
      });
      expect(ns(needles)).toEqual([240, 270, 300]);
      expect(ns(await m.retrieve({ conversationId: c, limit: 3 }))).toEqual([298, 299, 300]);
      expect(ns(await m.retrieve({ conversationId: c, type: 'short-term', limit: 2 }))).toEqual([
        298, 299,
      ]);
      expect(await m.retrieve({ conversationId: c, filters: { tag: 'none' }, limit: 10 })).toEqual(
        [],
      );
      expect(ns(await m.retrieve({ conversationId: c, filters: { tag: 'x' }, limit: 1 }))).toEqual([
        280,
      ]);
    });

    it('expires entries after their TTL, and an update refreshes it (sliding)', async () => {
      const m = await backend.create({ ttlMs: 300 });
      const c = conversation();
      await m.store({ conversationId: c, type: 'short-term', id: 'a', content: 'a' });
      await m.store({ conversationId: c, type: 'short-term', id: 'b', content: 'b' });
      await m.store({
        conversationId: c,
        type: 'short-term',
        id: 'keep',
        content: 'forever',
        ttlMs: null,
      });
      await backend.advance(200);
      await m.update({ conversationId: c, type: 'short-term', id: 'b' }, { content: 'b2' });
      await backend.advance(200);
      const left = await m.retrieve({ conversationId: c });
      expect(left.map((e) => [e.id, e.content])).toEqual([
        ['b', 'b2'],
        ['keep', 'forever'],
      ]);
      await backend.advance(200);
      expect((await m.retrieve({ conversationId: c })).map((e) => e.id)).toEqual(['keep']);
      await m.close();
    });

    it('loses nothing under 1,000 concurrent appends and 1,000 concurrent updates', async () => {
      const m = await backend.create({});
      const c = conversation();
      await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          m.store({ conversationId: c, type: 'short-term', content: i }),
        ),
      );
      const all = await m.retrieve<number>({ conversationId: c, type: 'short-term' });
      expect(all).toHaveLength(1000);
      expect(new Set(all.map((e) => e.content)).size).toBe(1000);
      const key = { conversationId: c, type: 'working' as const, id: 'counter' };
      await Promise.all(
        Array.from({ length: 1000 }, () =>
          m.update<number>(key, (cur) => ({ content: (cur?.content ?? 0) + 1 })),
        ),
      );
      const [counter] = await m.retrieve<number>({ conversationId: c, type: 'working' });
      expect(counter?.content).toBe(1000);
      await m.close();
    }, 60_000);

    if (backend.reopen) {
      it('keeps data across a restart', async () => {
        const m = await backend.create({});
        const c = conversation();
        await m.store({
          conversationId: c,
          type: 'long-term',
          id: 'fact',
          content: { plan: 'pro' },
        });
        await m.close();
        const again = await backend.reopen?.({});
        const entries = await again?.retrieve({ conversationId: c });
        expect(entries?.map((e) => e.content)).toEqual([{ plan: 'pro' }]);
        await again?.close();
      });
    }

    it('rejects hostile ids with a typed error, touching nothing', async () => {
      const m = await backend.create({});
      const c = conversation();
      await m.store({ conversationId: c, type: 'short-term', id: 'safe', content: 'kept' });
      const hostile = ['*', 'a:b', '../etc', 'a/b', '', 'x'.repeat(129), 'a b', '..'];
      for (const bad of hostile) {
        await expect(
          m.store({ conversationId: bad, type: 'short-term', content: 'x' }),
        ).rejects.toBeInstanceOf(InvalidInputError);
        await expect(
          m.store({ conversationId: c, type: 'short-term', id: bad, content: 'x' }),
        ).rejects.toMatchObject({ field: 'id' });
        await expect(m.retrieve({ conversationId: bad })).rejects.toMatchObject({
          field: 'conversationId',
        });
        await expect(m.delete({ conversationId: bad })).rejects.toBeInstanceOf(InvalidInputError);
        await expect(
          m.update({ conversationId: c, type: 'short-term', id: bad }, { content: 'x' }),
        ).rejects.toBeInstanceOf(InvalidInputError);
      }
      await expect(
        m.store({ conversationId: c, type: 'bogus' as never, content: 'x' }),
      ).rejects.toMatchObject({ field: 'type' });
      await expect(
        m.store({ conversationId: c, type: 'short-term', content: () => 1 }),
      ).rejects.toMatchObject({ field: 'content' });
      expect((await m.retrieve({ conversationId: c })).map((e) => [e.id, e.content])).toEqual([
        ['safe', 'kept'],
      ]);
      await m.close();
    });

    it('no conversation or entry id can name an internal key (e.g. "__seq")', async () => {
      const m = await backend.create({});
      const c = conversation();
      await m.store({ conversationId: c, type: 'short-term', id: 'first', content: 1 });
      const internalLooking = ['__seq', 'seq', '__index', 'runs', '_', 'default'];
      for (const id of internalLooking) {
        await m.store({ conversationId: id, type: 'working', id, content: `as ${id}` });
        await m.update({ conversationId: id, type: 'working', id }, { content: `updated ${id}` });
        expect((await m.retrieve({ conversationId: id })).map((e) => e.content)).toEqual([
          `updated ${id}`,
        ]);
      }
      // Everyone else's order and counter still work.
      await m.store({ conversationId: c, type: 'short-term', id: 'second', content: 2 });
      expect((await m.retrieve({ conversationId: c })).map((e) => e.id)).toEqual([
        'first',
        'second',
      ]);
      for (const id of internalLooking) expect(await m.delete({ conversationId: id })).toBe(1);
      await m.close();
    });

    it('keeps tenants and conversations apart', async () => {
      const a = await backend.create({ namespace: 'tenant-a' });
      const b = await backend.create({ namespace: 'tenant-b' });
      const c = conversation();
      const other = conversation();
      await a.store({ conversationId: c, type: 'long-term', id: 'secret', content: 'A only' });
      await b.store({ conversationId: c, type: 'long-term', id: 'secret', content: 'B only' });
      await a.store({ conversationId: other, type: 'long-term', content: 'other conversation' });
      expect((await a.retrieve({ conversationId: c })).map((e) => e.content)).toEqual(['A only']);
      expect((await b.retrieve({ conversationId: c })).map((e) => e.content)).toEqual(['B only']);
      expect(await b.retrieve({ conversationId: other })).toEqual([]);
      expect(await b.delete({ conversationId: c })).toBe(1);
      expect((await a.retrieve({ conversationId: c })).map((e) => e.content)).toEqual(['A only']);
      await a.close();
      await b.close();
    });
  });
}
