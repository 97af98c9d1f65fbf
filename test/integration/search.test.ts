import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedPost } from '../../adapters/types.ts';
import { streams } from '../../db/schema/index.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { foldForSearch } from '../../src/queue/search.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
let token: string;
const post = (id: string, handle: string, text: string): NormalizedPost => ({
  platform: 'replay',
  platformPostId: id,
  author: { platformUserId: `a-${id}`, handle, followers: 50 },
  text,
  postedAt: new Date(),
  isOwn: false,
  isRepost: false,
  raw: { id },
});

beforeAll(async () => {
  h = await createHarness();
  await h.tdb.truncate();
  await h.deps.database.db.insert(streams).values({ platform: 'replay', name: 'demo', config: {} });
  const [s] = await h.deps.database.db.select().from(streams).where(eq(streams.name, 'demo'));
  await ingest(h.deps.database, h.deps.rulebook.current(), s!, {
    cursor: 'x',
    posts: [
      post('1', 'ivana_k', 'ČEKAM tehničara od jutra, internet ne radi, sramota!'),
      post('2', 'dragan', 'Рачун ми је дупло наплаћен, срамота, отказујем!'),
      post('3', 'marko_x', 'Internet radi 50% vremena, sramota, otkazujem ugovor!'),
      post('4', 'ana', 'Dostava kasni tjedan dana, nitko se ne javlja, sramota!'),
      post('5', 'zoran', 'Serviser Đorđe nije došao ni danas, sramota, otkazujem!'),
    ],
  });
  token = (await h.user('responder')).token;
});
afterAll(() => h.close());

async function found(q: string): Promise<string[]> {
  const res = await h.request('GET', `/api/cases?q=${encodeURIComponent(q)}&limit=200`, { token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { cases: Array<{ author: { handle: string } }> }).cases.map((c) => c.author.handle).sort();
}

describe('searching the queue', () => {
  it('finds words as people type them: without diacritics, in either case, across scripts, and by handle', async () => {
    expect(await found('all four are complaints')).toEqual([]);
    // A Latin word finds the Cyrillic one too: "sramota" is "срамота".
    expect(await found('sramota')).toEqual(['ana', 'dragan', 'ivana_k', 'marko_x', 'zoran']);
    expect(await found('kasni tjedan')).toEqual(['ana']);
    expect(await found('cekam tehnicara')).toEqual(['ivana_k']);
    expect(await found('Čekam')).toEqual(['ivana_k']);
    expect(await found('racun')).toEqual(['dragan']);
    expect(await found('НАПЛАЋЕН')).toEqual(['dragan']);
    expect(await found('СРАМОТА')).toEqual(await found('sramota'));
    expect(await found('@marko')).toEqual(['marko_x']);
    // đ typed without its stroke is dj, as the analyzer reads it; in Cyrillic it is ђ.
    expect(await found('Djordje')).toEqual(['zoran']);
    expect(await found('Ђорђе')).toEqual(['zoran']);
  });

  it('takes a search for what it says: % and _ are characters, not wildcards; a blank search is refused', async () => {
    expect(await found('50%')).toEqual(['marko_x']);
    expect(await found('%')).toEqual(['marko_x']);
    expect(await found('o_x')).toEqual(['marko_x']);
    expect(await found("' or 1=1 --")).toEqual([]);
    const blank = await h.request('GET', '/api/cases?q=%20', { token });
    expect(blank.status).toBe(400);
    expect(((await blank.json()) as { message: string }).message).toContain('q: expected words or a handle to look for');
  });

  it('has a search box in the inbox that keeps what was typed', async () => {
    const u = await h.user('community_manager');
    const login = await h.app.request('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: u.email, password: 'correct horse battery staple' }),
    });
    const cookie = `odziv_session=${/odziv_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1]}`;
    const page = await (await h.app.request('/inbox?q=racun', { headers: { cookie } })).text();
    expect(page).toContain('name="q" value="racun"');
    expect(page).toContain('>@dragan</a>');
    expect(page).not.toContain('>@ivana_k</a>');
  });

  it('finds the right page beyond the first 2,000 cases: rare words through the index, common ones in queue order', async () => {
    const [s] = await h.deps.database.db.select().from(streams).where(eq(streams.name, 'demo'));
    // 2,100 complaints; the rare word is on one that ranks far down the queue (a tiny account).
    const many: NormalizedPost[] = Array.from({ length: 2_100 }, (_, i) => ({
      ...post(`bulk-${i}`, `bulk${i}`, i === 2_050 ? 'Internet ne radi, sramota, Zvečevo!' : `Internet ne radi, sramota! broj ${i}`),
      author: { platformUserId: `bulk-${i}`, handle: `bulk${i}`, followers: i === 2_050 ? 0 : 100_000 },
    }));
    await ingest(h.deps.database, h.deps.rulebook.current(), s!, { cursor: 'bulk', posts: many });
    const page = async (query: string) =>
      (await (await h.request('GET', `/api/cases?${query}`, { token })).json()) as {
        cases: Array<{ author: { handle: string }; priority: number; id: number }>;
      };
    expect((await page('q=zvecevo')).cases.map((c) => c.author.handle)).toEqual(['bulk2050']);
    // A common word's page is the queue's own top, in its order.
    const common = (await page('q=sramota&limit=30')).cases;
    const top = (await page('limit=200')).cases;
    expect(common.map((c) => c.id)).toEqual(top.slice(0, 30).map((c) => c.id));
    await h.deps.database.rows(sql`delete from cases where post_id in (select id from posts where platform_post_id like 'bulk-%')`);
  });

  it('folds in the database exactly as in the query: odziv_fold, which the search index is built on, is foldForSearch', async () => {
    const samples = [
      'ČEKAM Ćevape Žuti Šator Đorđe',
      'Љубав Њива Џеп љ њ џ',
      'РАЧУН рачун Ђорђе ћевап',
      'Plain ASCII 50% _x_ \\ back',
      'čćžšđ ЧЋЖШЂ',
      'mixed Ћирилица and Latinica',
      'Đorđe Djordje ĐURĐEVAC',
      'Ёлка щука Юля Ящик объём ЫЭЙ',
      'café über naïve Ångström',
      'ЃЌЅ ѓќѕ',
    ];
    for (const text of samples) {
      const [row] = await h.deps.database.rows<{ folded: string }>(sql`select odziv_fold(${text}) as folded`);
      expect(row!.folded, text).toBe(foldForSearch(text));
    }
  });
});
