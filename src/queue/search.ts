import { or, sql, type SQL } from 'drizzle-orm';
import { authors, posts } from '../../db/schema/index.ts';

/**
 * The inbox's search: a customer's words or handle, as a person types them. "cekam" finds
 * "čekam" and "ČEKAM", and "racun" finds "рачун": both sides are folded to plain lower-case Latin.
 * The folding runs as replace(), translate() and lower() in SQL, which behave the same on every
 * locale (lower() alone folds only ASCII on a C-locale database), and as the same table here.
 */
const DIGRAPHS: Array<[string, string]> = [['Љ', 'lj'], ['љ', 'lj'], ['Њ', 'nj'], ['њ', 'nj'], ['Џ', 'dz'], ['џ', 'dz']];
const CYRILLIC = 'АБВГДЂЕЖЗИЈКЛМНОПРСТЋУФХЦЧШ';
const CYRILLIC_LATIN = 'abvgddezzijklmnoprstcufhccs';
const FROM = `ČĆŽŠĐčćžšđ${CYRILLIC}${CYRILLIC.toLowerCase()}`;
const TO = `cczsdcczsd${CYRILLIC_LATIN}${CYRILLIC_LATIN}`;
const TABLE = new Map([...FROM].map((c, i) => [c, [...TO][i]!]));

export function foldForSearch(s: string): string {
  let out = s;
  for (const [from, to] of DIGRAPHS) out = out.replaceAll(from, to);
  return [...out].map((c) => TABLE.get(c) ?? c).join('').toLowerCase();
}

function foldedSql(column: SQL): SQL {
  let expr = column;
  for (const [from, to] of DIGRAPHS) expr = sql`replace(${expr}, ${from}, ${to})`;
  return sql`lower(translate(${expr}, ${FROM}, ${TO}))`;
}

const likeLiteral = (s: string) => `%${s.replace(/[\\%_]/g, '\\$&')}%`;

export function matchesSearch(q: string): SQL {
  const words = foldForSearch(q.trim());
  return or(sql`${foldedSql(sql`${posts.text}`)} like ${likeLiteral(words)}`, sql`lower(${authors.handle}) like ${likeLiteral(words.replace(/^@/, ''))}`)!;
}
