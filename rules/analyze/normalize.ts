/**
 * Text normalization for matching. The original text is always kept elsewhere; what comes out of
 * here is only ever compared, never shown, except `display` forms used as evidence.
 */

const CYRILLIC_TO_LATIN: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  ђ: 'đ',
  е: 'e',
  ж: 'ž',
  з: 'z',
  и: 'i',
  ј: 'j',
  к: 'k',
  л: 'l',
  љ: 'lj',
  м: 'm',
  н: 'n',
  њ: 'nj',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  ћ: 'ć',
  у: 'u',
  ф: 'f',
  х: 'h',
  ц: 'c',
  ч: 'č',
  џ: 'dž',
  ш: 'š',
  // Russian/Macedonian letters that turn up in Serbian posts (quotes, names)
  ѓ: 'gj',
  ќ: 'kj',
  ѕ: 'dz',
  ы: 'y',
  э: 'e',
  ю: 'ju',
  я: 'ja',
  й: 'j',
  ё: 'jo',
  щ: 'šč',
  ъ: '',
  ь: '',
};

const CYRILLIC = /[\u0400-\u04FF]/;
const CYRILLIC_ALL = /[\u0400-\u04FF]/g;

export function hasCyrillic(text: string): boolean {
  return CYRILLIC.test(text);
}

/**
 * Serbian Cyrillic → Latin (gajica), keeping case: "Љ" becomes "LJ" so an all-caps word stays
 * all caps. Done on the whole text first, so emoticons, URLs and English words written with
 * Cyrillic letters (":Д", "хттп") read exactly like their Latin originals.
 */
export function cyrillicToLatin(text: string): string {
  if (!CYRILLIC.test(text)) return text;
  return text.replace(CYRILLIC_ALL, (ch) => {
    const lower = ch.toLowerCase();
    const lat = CYRILLIC_TO_LATIN[lower];
    if (lat === undefined) return ch;
    return ch === lower ? lat : lat.toUpperCase();
  });
}

/**
 * `cyrillicToLatin` with, for each character of the Latin text, the index of the character it came
 * from (both letters of "lj" point at "љ"): to find in the text as written what was matched in Latin.
 */
export function cyrillicToLatinMapped(text: string): { latin: string; from: number[] } {
  let latin = '';
  const from: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const lat = cyrillicToLatin(text[i]!);
    latin += lat;
    for (let k = 0; k < lat.length; k++) from.push(i);
  }
  return { latin, from };
}

const LATIN_TO_CYRILLIC: Array<[string, string]> = [
  ['dž', 'џ'],
  ['lj', 'љ'],
  ['nj', 'њ'],
  ...Object.entries(CYRILLIC_TO_LATIN)
    .filter(([cyr, lat]) => lat.length === 1 && 'абвгђдежзијклмнопрстћуфхцчш'.includes(cyr))
    .map(([cyr, lat]) => [lat, cyr] as [string, string]),
];

/** Latin → Serbian Cyrillic, for tests and evaluation (a text and its transliteration must agree). */
export function latinToCyrillic(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
    const lowerPair = text.slice(i, i + 2).toLowerCase();
    const pair = LATIN_TO_CYRILLIC.find(([lat]) => lat.length === 2 && lat === lowerPair);
    if (pair) {
      const upper = text[i] !== text[i]!.toLowerCase();
      out += upper ? pair[1].toUpperCase() : pair[1];
      i += 2;
      continue;
    }
    const ch = text[i]!;
    const single = LATIN_TO_CYRILLIC.find(([lat]) => lat === ch.toLowerCase());
    out += single ? (ch !== ch.toLowerCase() ? single[1].toUpperCase() : single[1]) : ch;
    i += 1;
  }
  return out;
}

const FOLD: Record<string, string> = { č: 'c', ć: 'c', š: 's', ž: 'z', đ: 'dj' };
const FOLDABLE = /[čćšžđ]/g;
const COMBINING = /[\u0300-\u036f]/g;
const NON_ASCII = /[^\x00-\x7f]/;

/** Diacritic folding so "cekam" matches "čekam"; đ → dj as people type it without diacritics. */
export function fold(word: string): string {
  let w = word.replace(FOLDABLE, (ch) => FOLD[ch]!);
  if (NON_ASCII.test(w)) w = w.normalize('NFD').replace(COMBINING, '');
  return w;
}

/** Runs of three or more equal letters become two ("sooo" → "soo", "uzasnooo" → "uzasnoo"). */
export function squeeze(word: string): string {
  // Most words have no run of three: check with a plain loop before paying for the regex.
  for (let i = 2; i < word.length; i++) {
    if (word[i] === word[i - 1] && word[i] === word[i - 2]) return word.replace(/(\p{L})\1{2,}/gu, '$1$1');
  }
  return word;
}

/** Collapses every doubled letter run to one: the second try for elongated words. */
export function squeezeHard(word: string): string {
  return word.replace(/(\p{L})\1+/gu, '$1');
}

export type TokenKind = 'word' | 'number' | 'emoji' | 'emoticon' | 'punct';

export interface Token {
  kind: TokenKind;
  /** Lower-case, Latin-script form: what evidence shows. */
  display: string;
  /** Folded (no diacritics), squeezed form: what lexicons match. */
  norm: string;
  /** True when the word came out of a hashtag. */
  fromHashtag?: boolean;
  /** True when letters were repeated three or more times ("sooo"): lexicons get a second try. */
  elongated?: boolean;
  /** True for words written in capitals in the original (shouting). */
  shout?: boolean;
  /** Punctuation (. , ! ? ; :) before this token: negation scope ends there. */
  breakBefore?: boolean;
  /** Words: the cached record of this spelling, which carries what other modules learned of it. */
  word?: WordForms;
}

/**
 * What the modules that read words cache per spelling (language evidence, stems, feature hashes):
 * each declares its own field by module augmentation, so a word is looked up once per post.
 */
// biome-ignore lint/suspicious/noEmptyInterface: each analyzer module adds its facts by declaration merging (a type alias cannot be merged)
export interface WordFacts {}

export interface Normalized {
  tokens: Token[];
  handles: string[];
  urls: string[];
  hashtags: string[];
  hasCyrillic: boolean;
  questionMarks: number;
  exclamations: number;
  /**
   * The post starts with @handles (".@brand" too): a reply or a message to that account, rather than
   * a post that names the account to its author's followers ("Thanks @JetBlue for ruining my morning").
   */
  addressed: boolean;
}

const ADDRESSED = /^\s*\.?@[\p{L}\p{N}_]/u;
const URL = /\bhttps?:\/\/\S+|\bwww\.\S+/giu;
const HANDLE = /(^|[^\p{L}\p{N}_])@([\p{L}\p{N}_]{1,30})/gu;
const HASHTAG = /(^|[^\p{L}\p{N}_&])#([\p{L}\p{N}_]{1,80})/gu;
const ENTITY = /&(lt|gt|amp|quot|apos|#39);/g;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", '#39': "'" };

// A mouth may repeat (":)))", ":((" are everyday BCS); "^^" and "^_^" smile too.
const EMOTICON = /(?:^|\s)((?:[:;=8xX][-'^o]?[)(\][dDpP/\\|*oO3]+)|(?:[)(\][]+[-'^o]?[:;=])|<3+|:'\(+|\^_*\^)(?=\s|$|[.,!?])/gu;
const EMOTICON_HINT = /[:;=^]|<3|[)(\][][-'^o]?[:;=]/;

/**
 * One spelling per emoticon: ":)))" reads as ":)", "((:" as "(:", "<333" as "<3", "^_^" as "^^".
 * Loops, not a backreference regex: "(((…(:" with 100k brackets took 13 s that way.
 */
function emoticonKey(e: string): string {
  const lower = e.toLowerCase();
  if (lower.startsWith('^')) return '^^';
  let end = lower.length;
  while (end > 1 && lower[end - 1] === lower[end - 2]) end--;
  let start = 0;
  if ('()[]'.includes(lower[0]!)) while (start < end - 1 && lower[start + 1] === lower[0]) start++;
  return lower.slice(start, end);
}
const PIECES =
  /(\uFFFC-?\d+\uFFFC)|(\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic})*)|([\p{L}\p{M}]+(?:['’][\p{L}]+)?)|(\d+(?:[.,:]\d+)*)|([.!?;,:]+)/gu;

/** Splits "#NeRadiInternet" → "ne radi internet"; all-lower hashtags stay whole. */
function splitHashtag(tag: string): string[] {
  const parts = tag
    .replace(/_/g, ' ')
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{L})(\d)/gu, '$1 $2')
    .split(/\s+/)
    .filter(Boolean);
  return parts.length ? parts : [tag];
}

export interface WordForms {
  display: string;
  norm: string;
  shout: boolean;
  elongated: boolean;
  readonly facts: WordFacts;
}
/**
 * The forms of a word as written, cached: the same words recur all the time, and a cached `norm`
 * is one string object whose hash the later lexicon lookups reuse.
 */
const WORDS = new Map<string, WordForms>();
const MAX_CACHED_WORD = 40;
function readWord(word: string): WordForms {
  let w = WORDS.get(word);
  if (w === undefined) {
    const lower = word.toLowerCase();
    const squeezed = squeeze(lower);
    w = {
      display: lower,
      norm: fold(squeezed),
      shout: word.length >= 3 && word === word.toUpperCase() && word !== lower,
      elongated: squeezed !== lower,
      facts: {},
    };
    // Bounded in count and in length: hostile posts full of long made-up words must not fill memory.
    if (word.length <= MAX_CACHED_WORD) {
      if (WORDS.size >= 100_000) WORDS.clear();
      WORDS.set(word, w);
    }
  }
  return w;
}

/** Tokenizes a post: URLs and @handles set aside, hashtags split, emoji and emoticons kept as signals. */
export function normalize(text: string): Normalized {
  const urls: string[] = [];
  const handles: string[] = [];
  const hashtags: string[] = [];
  const emoticons: string[] = [];
  const cyr = hasCyrillic(text);
  // Each pass only runs when its marker character is present: most posts skip most passes.
  let t = cyrillicToLatin(text);
  // Text copied from platform APIs arrives HTML-escaped ("&lt;3" is a heart); one pass, so "&amp;lt;" stays "&lt;".
  if (t.includes('&')) t = t.replace(ENTITY, (m, name: string) => ENTITIES[name] ?? m);
  if (t.includes('http') || t.includes('www.')) {
    t = t.replace(URL, (u) => {
      urls.push(u);
      return ' ';
    });
  }
  if (t.includes('@')) {
    t = t.replace(HANDLE, (_m, pre: string, h: string) => {
      handles.push(h);
      return `${pre} `;
    });
  }
  if (t.includes('#')) {
    t = t.replace(HASHTAG, (_m, pre: string, tag: string) => {
      hashtags.push(tag);
      return `${pre} \uFFFC${hashtags.length - 1}\uFFFC `;
    });
  }
  if (EMOTICON_HINT.test(t)) {
    t = t.replace(EMOTICON, (_m, e: string) => {
      emoticons.push(e);
      return ` \uFFFC${-emoticons.length}\uFFFC `;
    });
  }
  const tokens: Token[] = [];
  let breakPending = false;
  for (const m of t.matchAll(PIECES)) {
    const [, placeholder, emoji, word, num, punct] = m;
    if (punct) {
      breakPending = true;
      continue;
    }
    const breakBefore = breakPending;
    breakPending = false;
    if (emoji) {
      tokens.push({ kind: 'emoji', display: emoji, norm: emoji, breakBefore });
    } else if (word) {
      const w = readWord(word);
      tokens.push({ kind: 'word', display: w.display, norm: w.norm, shout: w.shout, elongated: w.elongated, breakBefore, word: w });
    } else if (num) {
      tokens.push({ kind: 'number', display: num, norm: num, breakBefore });
    } else if (placeholder) {
      const idx = Number(placeholder.slice(1, -1));
      if (idx < 0) {
        const e = emoticons[-idx - 1]!;
        tokens.push({ kind: 'emoticon', display: e, norm: emoticonKey(e), breakBefore });
      } else {
        for (const part of splitHashtag(hashtags[idx]!)) {
          // A hashtag neither shouts nor drawls: only the forms are shared with the word as written.
          const w = readWord(part);
          tokens.push({ kind: 'word', display: w.display, norm: w.norm, fromHashtag: true, breakBefore, word: w });
        }
      }
    }
  }
  return {
    tokens,
    handles,
    urls,
    hashtags,
    hasCyrillic: cyr,
    questionMarks: (text.match(/[?？]/g) ?? []).length,
    exclamations: (text.match(/!/g) ?? []).length,
    addressed: ADDRESSED.test(text),
  };
}
