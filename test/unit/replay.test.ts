import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AdapterError } from '../../adapters/errors.ts';
import { createReplayAdapter } from '../../adapters/replay/index.ts';
import { DEFAULT_SAMPLE, loadSample } from '../../adapters/replay/sample.ts';

const stream = (config: Record<string, unknown> = {}) => ({ id: 1, name: 'demo', config });

function setup(file?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'odziv-replay-'));
  let now = 1_800_000_000_000;
  const adapter = createReplayAdapter({ repliesFile: join(dir, 'replies.jsonl'), now: () => now });
  return { dir, adapter, advance: (ms: number) => (now += ms), cfg: stream(file ? { file } : {}) };
}

describe('replay adapter', () => {
  it('bundles at least 300 posts in every language, with Cyrillic, viral posts, reposts and own posts', () => {
    const items = loadSample(DEFAULT_SAMPLE);
    expect(items.length).toBeGreaterThanOrEqual(300);
    for (const lang of ['en', 'hr', 'sr', 'bs']) expect(items.filter((i) => i.lang === lang).length, lang).toBeGreaterThan(40);
    expect(items.filter((i) => i.script === 'cyrillic').length).toBeGreaterThan(20);
    expect(items.filter((i) => i.growth).length).toBeGreaterThanOrEqual(3);
    expect(items.some((i) => i.repost)).toBe(true);
    expect(items.some((i) => i.own)).toBe(true);
    for (const kind of ['broken', 'billing', 'delivery', 'waiting', 'staff', 'churn', 'refund', 'praise', 'question', 'neutral', 'spam']) {
      expect(
        items.some((i) => i.kind === kind),
        kind,
      ).toBe(true);
    }
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
  });

  it('releases posts on the replay clock and resumes from the cursor after a restart', async () => {
    const { adapter, advance, cfg, dir } = setup();
    const first = await adapter.poll(cfg, null);
    expect(first.posts).toHaveLength(0);
    advance(5_000);
    const second = await adapter.poll(cfg, first.cursor);
    expect(second.posts.length).toBeGreaterThan(5);
    // A new adapter (a restarted process) continues from the stored cursor: nothing twice.
    const restarted = createReplayAdapter({ repliesFile: join(dir, 'replies.jsonl'), now: () => 1_800_000_000_000 + 60_000 });
    const third = await restarted.poll(cfg, second.cursor);
    const ids = [...second.posts, ...third.posts].map((p) => p.platformPostId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(third.posts.length).toBeGreaterThan(0);
    // Post times are fixed by the cursor's clock, so a redelivery would be identical.
    expect(third.posts[0]!.postedAt.getTime()).toBeLessThanOrEqual(1_800_000_000_000 + 60_000);
  });

  it('grows a viral post along its curve', async () => {
    const { adapter, advance, cfg } = setup();
    let cursor: string | null = null;
    cursor = (await adapter.poll(cfg, cursor)).cursor;
    advance(2_000);
    const { posts } = await adapter.poll(cfg, cursor);
    const viral = posts.find((p) => (p.raw as { growth?: unknown }).growth);
    expect(viral).toBeDefined();
    const early = (await adapter.refreshMetrics!([viral!.platformPostId])).metrics.get(viral!.platformPostId)!;
    advance(10 * 60_000);
    const later = (await adapter.refreshMetrics!([viral!.platformPostId])).metrics.get(viral!.platformPostId)!;
    expect(later.reposts).toBeGreaterThan(early.reposts + 100);
  });

  it('records each reply once per idempotency key, also across restarts', async () => {
    const { adapter, dir } = setup();
    const target = { platformPostId: '0001', authorHandle: 'ana' };
    const a = await adapter.reply(target, 'Pozdrav Ana, javljamo se odmah. – Marko', 'k1');
    const b = await adapter.reply(target, 'Pozdrav Ana, javljamo se odmah. – Marko', 'k1');
    expect(b).toEqual(a);
    const restarted = createReplayAdapter({ repliesFile: join(dir, 'replies.jsonl') });
    expect(await restarted.reply(target, 'x', 'k1')).toEqual(a);
    await restarted.reply(target, 'Another reply', 'k2');
    const lines = readFileSync(join(dir, 'replies.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(restarted.recordedReplies().map((r) => r.text)).toEqual(['Pozdrav Ana, javljamo se odmah. – Marko', 'Another reply']);
  });

  it('fails clearly on a bad stream setting, a bad file or a foreign cursor', async () => {
    const { adapter, dir } = setup();
    await expect(adapter.poll(stream({ speed: -1 }), null)).rejects.toThrow(/speed/);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"id":"1","offsetSec":0,"text":"hi","author":{"id":"a","handle":"a"}}\n{"id":2}\n');
    const err = await adapter.poll(stream({ file: bad }), null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterError);
    expect((err as AdapterError).kind).toBe('invalid');
    expect((err as Error).message).toContain('bad.jsonl:2');
    await expect(adapter.poll(stream(), 'garbage')).rejects.toThrow(/unreadable cursor/);
  });
});
