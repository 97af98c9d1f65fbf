import { sql, type SQL } from 'drizzle-orm';
import { cases } from '../../db/schema/index.ts';

/**
 * The inbox's search: a customer's words or handle, as a person types them. "cekam" finds
 * "čekam" and "ČEKAM", and "racun" finds "рачун": both sides are folded to plain lower-case Latin.
 * The folding runs in SQL as odziv_fold() (replace(), translate() and lower(), which behave the same
 * on every locale: lower() alone folds only ASCII on a C-locale database), and as the same table here.
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

const likeLiteral = (s: string) => `%${s.replace(/[\\%_]/g, '\\$&')}%`;

/**
 * The cases whose post's folded words, or whose author's @handle, contain the query: one trigram
 * index (cases.search_text, written as odziv_fold in SQL, which is foldForSearch), so a search
 * reads the matching cases, never every post.
 */
export function matchesSearch(q: string): SQL {
  return sql`${cases.searchText} like ${likeLiteral(foldForSearch(q.trim()))}`;
}
