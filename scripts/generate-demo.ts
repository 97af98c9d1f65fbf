/**
 * Builds adapters/replay/sample.jsonl, the demo stream `npm start` replays when no platform is
 * configured. Deterministic (seeded), so the committed file only changes when the posts do.
 * Run: `npm run demo:generate`.
 */
import { writeFileSync } from 'node:fs';
import type { SampleItem } from '../adapters/replay/sample.ts';
import { BS, EN, FOLLOW_UPS, HR, MORE, OWN, type SamplePost, SR } from '../adapters/replay/sample-posts.ts';
import { latinToCyrillic } from '../rules/analyze/normalize.ts';
import { mulberry32 } from '../src/random.ts';

const rand = mulberry32(20261122);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const FIRST: Record<SamplePost['lang'], string[]> = {
  hr: ['Ana', 'Ivana', 'Marko', 'Luka', 'Petra', 'Tomislav', 'Maja', 'Ivan', 'Katarina', 'Josip', 'Lucija', 'Filip', 'Nikolina', 'Matej', 'Dora'],
  sr: ['Milica', 'Nikola', 'Jelena', 'Stefan', 'Marija', 'Nemanja', 'Jovana', 'Aleksandar', 'Ana', 'Miloš', 'Teodora', 'Dušan', 'Sanja', 'Vuk', 'Ivana'],
  bs: ['Emir', 'Amra', 'Adnan', 'Lejla', 'Haris', 'Selma', 'Kenan', 'Amina', 'Tarik', 'Belma', 'Mirza', 'Ajla', 'Edin', 'Naida', 'Jasmin'],
  en: ['Sarah', 'James', 'Emily', 'Tom', 'Olivia', 'Daniel', 'Grace', 'Ben', 'Chloe', 'Jack', 'Megan', 'Ryan', 'Laura', 'Sam', 'Kate'],
};
const LAST: Record<SamplePost['lang'], string[]> = {
  hr: ['Horvat', 'Kovačević', 'Babić', 'Marić', 'Jurić', 'Novak', 'Knežević', 'Vuković', 'Petrović', 'Tomić'],
  sr: ['Jovanović', 'Petrović', 'Nikolić', 'Marković', 'Đorđević', 'Stojanović', 'Ilić', 'Pavlović', 'Milošević', 'Stanković'],
  bs: ['Hodžić', 'Begić', 'Delić', 'Hadžić', 'Mehmedović', 'Kovačević', 'Salihović', 'Husić', 'Omerović', 'Softić'],
  en: ['Smith', 'Jones', 'Taylor', 'Brown', 'Wilson', 'Evans', 'Walker', 'Wright', 'Hughes', 'Clarke'],
};
const ASCII: Record<string, string> = { č: 'c', ć: 'c', š: 's', ž: 'z', đ: 'dj' };
const asciiOf = (s: string) => s.toLowerCase().replace(/[čćšžđ]/g, (c) => ASCII[c]!);

interface Author {
  id: string;
  handle: string;
  name: string;
  followers: number;
  verified: boolean;
}
const authors: Author[] = [];
function newAuthor(lang: SamplePost['lang'], big = false): Author {
  const first = pick(FIRST[lang]);
  const last = pick(LAST[lang]);
  const n = authors.length + 1;
  // Most customers have a few hundred followers; a few are widely followed.
  const followers = big ? 40_000 + Math.floor(rand() * 200_000) : Math.floor(Math.exp(3 + rand() * 5));
  const a: Author = {
    id: `u${1000 + n}`,
    handle: `${asciiOf(first)}_${asciiOf(last).slice(0, 6)}${n % 7 === 0 ? n : ''}`,
    name: `${first} ${last}`,
    followers,
    verified: big && rand() < 0.5,
  };
  authors.push(a);
  return a;
}

const brand: Author = { id: 'u1', handle: 'VedraTel', name: 'Vedra', followers: 48_200, verified: true };

const items: SampleItem[] = [];
const byLangKind = new Map<string, Author[]>();
let seq = 0;
const nextId = () => `${String(++seq).padStart(4, '0')}`;

function push(post: SamplePost, author: Author, offsetSec: number, extra: Partial<SampleItem> = {}): SampleItem {
  const id = nextId();
  const text = post.cyr ? latinToCyrillic(post.text).replace(/@ВедраТел/g, '@VedraTel') : post.text;
  const item: SampleItem = {
    id,
    offsetSec,
    lang: post.lang,
    kind: post.kind,
    script: /[\u0400-\u04FF]/.test(text) ? 'cyrillic' : 'latin',
    text,
    author: { id: author.id, handle: author.handle, name: author.name, followers: author.followers, verified: author.verified },
    conversationId: id,
    metrics: { likes: Math.floor(rand() * 4), reposts: rand() < 0.2 ? 1 : 0, replies: Math.floor(rand() * 2), quotes: 0 },
    ...extra,
  };
  items.push(item);
  return item;
}

const customerPosts = [...HR, ...SR, ...BS, ...EN, ...MORE];
// Interleave languages so the first seconds already show all of them.
const queue = customerPosts
  .map((p, i) => ({ p, key: rand() + (p.viral ? -1 : 0) + (i % 4) * 0.0001 }))
  .sort((a, b) => a.key - b.key)
  .map((x) => x.p);

let t = 0;
const viralItems: SampleItem[] = [];
queue.forEach((post, i) => {
  // The first 40 arrive within ~10 s so the inbox fills at once; the rest over about half an hour.
  t += i < 40 ? 0.25 : 3 + rand() * 10;
  const big = post.viral || (post.kind !== 'spam' && rand() < 0.04);
  const author = newAuthor(post.lang, big);
  const list = byLangKind.get(post.lang) ?? [];
  list.push(author);
  byLangKind.set(post.lang, list);
  const item = push(post, author, Math.round(t * 10) / 10);
  if (post.viral) {
    // Engagement curve [minutes after posting, likes, reposts, replies, quotes]: slow, then taking off.
    const scale = 0.6 + rand() * 0.8;
    item.growth = [
      [0, 0, 0, 0, 0],
      [0.5, 40, 30, 10, 5],
      [1, 150, 110, 35, 18],
      [2, 420, 300, 90, 48],
      [5, 1100, 760, 220, 120],
      [10, 1900, 1250, 360, 200],
      [30, 2800, 1750, 480, 270],
      [120, 4100, 2500, 700, 390],
    ].map(([m, ...v]) => [m!, ...v.map((x) => Math.round(x * scale))]);
    viralItems.push(item);
  }
});

// Follow-ups from customers who already wrote, in the same conversation.
for (const post of FOLLOW_UPS) {
  const earlier = items.filter((it) => it.lang === post.lang && (it.kind === 'waiting' || it.kind === 'churn' || it.kind === 'broken') && !it.inReplyToId);
  const parent = earlier[Math.floor(rand() * earlier.length)]!;
  t += 5 + rand() * 20;
  const author = authors.find((a) => a.id === parent.author.id)!;
  push(post, author, Math.round(t), { inReplyToId: parent.id, conversationId: parent.conversationId });
}

// "Me too" replies under the viral complaints: what makes them viral.
const ME_TOO: Array<[SamplePost['lang'], string]> = [
  ['hr', 'Isto i kod mene, već dva dana ništa ne radi.'],
  ['hr', 'Potpisujem. Ista situacija u Zagrebu.'],
  ['sr', 'Isto i kod mene, ceo kraj je bez interneta!'],
  ['sr', 'Потпуно исто, нико се не јавља.'],
  ['bs', 'Isto i kod nas u Sarajevu, niko ništa ne govori.'],
  ['en', 'Same here, charged twice and no answer for weeks.'],
  ['en', 'Exactly the same happened to me last month. Terrible.'],
  ['hr', 'Dokle više? I ja čekam povrat novca.'],
  ['sr', 'Kod mene isto, već treći dan. Sramota.'],
  ['bs', 'Ja sam prešao kod konkurencije zbog ovoga.'],
  ['en', 'This is why I left them last year.'],
  ['hr', 'Ne radi ni kod mene u Splitu.'],
];
for (const [i, [lang, text]] of ME_TOO.entries()) {
  const parent = viralItems[i % viralItems.length]!;
  const author = newAuthor(lang);
  push({ lang, kind: 'waiting', text }, author, Math.round(parent.offsetSec + 20 + i * 9), { inReplyToId: parent.id, conversationId: parent.conversationId });
}

// Plain reposts of complaints: never flagged.
for (const parent of items.filter((it) => it.kind === 'broken' || it.kind === 'billing').slice(0, 26)) {
  const author = newAuthor(parent.lang as SamplePost['lang']);
  push(
    { lang: parent.lang as SamplePost['lang'], kind: 'neutral', text: `RT @${parent.author.handle}: ${parent.text}`.slice(0, 280) },
    author,
    Math.round(parent.offsetSec + 30 + rand() * 60),
    { repost: true, repostOf: parent.id },
  );
}

// The brand's own posts: never flagged.
OWN.forEach((text, i) => {
  push({ lang: 'hr', kind: 'neutral', text }, brand, 15 + i * 120, { own: true, lang: i === 2 ? 'en' : i === 3 ? 'sr' : 'hr', kind: 'own' });
});

items.sort((a, b) => a.offsetSec - b.offsetSec || a.id.localeCompare(b.id));
const out = new URL('../adapters/replay/sample.jsonl', import.meta.url);
writeFileSync(out, `${items.map((i) => JSON.stringify(i)).join('\n')}\n`);
const count = (f: (i: SampleItem) => boolean) => items.filter(f).length;
console.log(
  `wrote ${items.length} posts to ${out.pathname}: ` +
    ['hr', 'sr', 'bs', 'en'].map((l) => `${l} ${count((i) => i.lang === l)}`).join(', ') +
    `, cyrillic ${count((i) => i.script === 'cyrillic')}, viral ${viralItems.length}, reposts ${count((i) => !!i.repost)}, own ${count((i) => !!i.own)}`,
);
