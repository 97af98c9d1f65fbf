import { type SQL, sql } from 'drizzle-orm';
import { cases } from '../../db/schema/index.ts';
import { cyrillicToLatin, fold } from '../../rules/index.ts';

/**
 * The inbox's search: a customer's words or handle, as a person types them. "cekam" finds
 * "čekam" and "ČEKAM", "racun" finds "рачун", and "Djordje" finds "Đorđe": both sides are folded
 * to plain lower-case Latin by the analyzer's own letter tables (cyrillicToLatin, fold), so the
 * search and the analyzer never disagree on a letter. In SQL the same folding is odziv_fold()
 * (db/migrations/0017_fold_like_the_analyzer.sql; a test keeps the two alike).
 */
export function foldForSearch(s: string): string {
  return fold(cyrillicToLatin(s).toLowerCase());
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
