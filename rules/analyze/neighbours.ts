/**
 * Languages odziv does not serve, named instead of guessed: a brand in Zagreb reads Slovenian,
 * Macedonian, German and Italian comments every day, and BCS or English sentiment read into them is
 * noise (Slovenian billing complaints came out as BCS complaints, Russian as `sr`).
 *
 * Asked before the BCS/English detector (language.ts) reads a post; most posts are passed on at
 * once, from a bit per spelling. Only a post that shows something of another language (a letter BCS
 * and English do not write, or one of the neighbours' own words) is put to ELD. ELD (a character n-gram detector of 60 languages) names the language, and
 * a neighbour is declared only on that name *and* the post's own evidence, since ELD alone reads
 * one Croatian tweet in 25 as Slovenian. Cyrillic is decided by letters: Serbian writes ђ ћ, Russian,
 * Bulgarian and Ukrainian write letters Serbian has not, Macedonian ѓ ќ ѕ.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { bcsFunctionWords } from './language.ts';
import type { Normalized, Token } from './normalize.ts';

interface EldResult {
  language: string;
  getScores(): Record<string, number>;
  isReliable(): boolean;
}
let eld: { detect(text: string): EldResult } | undefined;
/**
 * ELD's smallest database (29 MB of heap), loaded on the first post that needs it: the analyzer is
 * synchronous, and most processes (tests, a brand that never sees a neighbour) never pay for it.
 * ELD is ESM-only without a `require` export, so its file is found and required (Node ≥ 20.19).
 */
function detector() {
  if (!eld) {
    const require = createRequire(import.meta.url);
    // The file its `eld/extrasmall` export names, found where Node would look for the package.
    const file = (require.resolve.paths('eld') ?? []).map((dir) => join(dir, 'eld', 'src', 'entries', 'static.extrasmall.js')).find((f) => existsSync(f));
    if (!file) throw new Error('the eld package is not installed (npm ci)');
    eld = (require(file) as { eld: NonNullable<typeof eld> }).eld;
  }
  return eld;
}

/** The languages odziv reads; ELD has no Bosnian (it reads it as hr or sr). */
const SERVED = new Set(['hr', 'sr', 'bs', 'en']);
/** Close enough to BCS that ELD confuses them with it: declared only with the post's own evidence. */
const SLAVIC_LATIN = new Set(['sl', 'cs', 'sk', 'pl']);
/** The other languages a brand in the region hears (ELD also names Yoruba or Tagalog for a short BCS post). */
const FAR = new Set(['de', 'it', 'fr', 'es', 'pt', 'nl', 'hu', 'ro', 'sq', 'tr', 'el', 'sv', 'da', 'no', 'fi', 'lt', 'lv', 'et']);

/** Letters BCS and English do not write, by the languages that do (lower case). */
const LETTERS: Record<string, RegExp> = {
  // Slovenian writes only č š ž, as BCS does.
  sl: /(?!)/gu,
  pl: /[ąęłńśźżó]/gu,
  cs: /[ěřůáéíóúýťďň]/gu,
  sk: /[ľĺŕôäáéíóúýťďň]/gu,
  de: /[äöüß]/gu,
  it: /[àèìòùé]/gu,
  other: /[áéíóúýâêîûëïÿœæøåãõñçőű]/gu,
};
const ANY_FOREIGN_LETTER = /[ąęłńśźżěřůľĺŕôäöüßàèìòùáéíóúýâêîûëïÿœæøåãõñçőű]/u;
/** Cyrillic letters Serbian does not write (Russian, Bulgarian, Ukrainian, Belarusian), and Macedonian's own. */
const EAST_CYRILLIC = /[ыэёъщйяюьіїєґў]/gu;
const MACEDONIAN_LETTERS = /[ѓќѕѐè]/gu;
const SERBIAN_LETTERS = /[ђћ]/u;
/** Letters of Serbian and Macedonian that the eastern alphabets have not. */
const SERBIAN_OR_MACEDONIAN = /[јљњџѓќѕ]/u;

/**
 * Each neighbour's everyday words that are not BCS or English words (folded, as tokens' `norm`).
 * Kajkavian Croatian ("kaj", "zakaj", "ne dela") and Bosnian "lahko" are BCS, so they are not here.
 */
const MARKERS: Record<string, Set<string>> = {
  sl: new Set(
    'ki tudi zelo ker kje sem nisem vendar kdaj vceraj zdaj sedaj nihce sploh ze spet storitev danes jutri teden tedna tedne tednov vse vsak vsakic cakam obljubil obljubili napacen napacno napacna zaracunali denar denarja nic noben nobenega nobene kupil pozdravljeni dober oglasi dni jaz brez kot morem hocem pride komaj ponudba vaso mojo naso res ob deluje verjeti vsem dovolj z podatki sprehod placilo sprejemate k kateri katero tisto tukaj lani letos mesecev tednu vcasih mogoce narocil narocila narocilo evrov manj cez skozi ampak oziroma nekaj kdo kam sicer torej pac menda najbrz morda skoraj vedno nikoli kmalu prej tisti kaksen kaksna storitve uporabnik uporabniki podpora klic poklicati poklicite rekel placal cakal dobil poslal'.split(
      ' ',
    ),
  ),
  cs: new Set('jsem jsme jste neni uz proc dekuji prosim protoze porad jeste nefunguje nikdo tydny tyden kde moc'.split(' ')),
  sk: new Set('som sme nie uz preco dakujem prosim pretoze stale nefunguje nikto'.split(' ')),
  pl: new Set('nie jest sie czy juz dla jestem bardzo mnie dlaczego dziekuje prosze ciagle nikt dzien tylko gdzie jeszcze'.split(' ')),
  de: new Set(
    'und ist nicht ich der das mit seit kein keine auf bei wir mein meine nur noch schon immer bitte danke warum wann heute ihr ihre sind habe wurde'.split(
      ' ',
    ),
  ),
  it: new Set(
    'il non che della per sono ho gli del nel con una ancora grazie perche oggi sempre niente nessuno molto questo ieri anche avete abbiamo poi alla dei delle questa essere fatto tutto tutti quando dove di la un'.split(
      ' ',
    ),
  ),
  mk: new Set(
    'sum mnogu zosto kade sega denes deneska vcera sekogas nitu gi nikoj nekoj sekoj kaj utre vecerva mozam toa ovaa pat malku bev blagodaram raboti rabotite vtor navistina vo trpenie koj koe koi ovoj toj taa nie vie bidejki zatoa nisto uste potoa nemase imase rabota kupiv plativ dobiv barav naracav cekav kje'.split(
      ' ',
    ),
  ),
  /** Russian, Bulgarian and Ukrainian words written without the letters Serbian lacks. */
  east: new Set('mozno pocemu kogda spasibo kotoryj ocen cestit'.split(' ')),
};
/** BCS words none of the neighbours write: a post with more of these than of a neighbour's stays BCS. */
const BCS_ONLY = new Set('sam nije nisam jer bio danas tjedan sedmica sedmicu novac pare cemo cu hocu necu gdje gde zasto jos mjesec moze mogu'.split(' '));

export interface Neighbour {
  /** ISO 639-1 code of the language it is written in ("sl", "mk", "de"…), one odziv does not read. */
  language: string;
  confidence: number;
}

const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;

/** Latin-path languages with marker words, by bit; bit 0 says the spelling has a letter BCS and English do not write. */
const LATIN_MARKED = Object.keys(MARKERS).filter((l) => l !== 'mk' && l !== 'east');
const FOREIGN_LETTER_BIT = 1;
const BCS_ONLY_BIT = 2;
const bitOf = (i: number) => 4 << i;
declare module './normalize.ts' {
  interface WordFacts {
    /** What this spelling says of neighbouring languages (the bits above). */
    neighbours?: number;
  }
}
function marksOf(t: Token): number {
  let m = ANY_FOREIGN_LETTER.test(t.display) ? FOREIGN_LETTER_BIT : 0;
  if (BCS_ONLY.has(t.norm)) m |= BCS_ONLY_BIT;
  for (const [i, lang] of LATIN_MARKED.entries()) if (MARKERS[lang]!.has(t.norm)) m |= bitOf(i);
  return m;
}
/** Looked up once per spelling: most posts are decided by these bits alone, without ELD. */
const marks = (t: Token) => (t.word ? (t.word.facts.neighbours ??= marksOf(t)) : marksOf(t));

/** The language odziv does not read that the post is written in, or undefined (BCS, English, or too little to tell). */
export function neighbourLanguage(text: string, n: Normalized): Neighbour | undefined {
  if (n.hasCyrillic) {
    const eastern = cyrillicNeighbour(
      text.toLowerCase(),
      n.tokens.filter((t) => t.kind === 'word').map((t) => t.norm),
    );
    if (eastern) return eastern;
  }
  let any = 0;
  let bcs = 0;
  let words = 0;
  for (const t of n.tokens) {
    if (t.kind !== 'word') continue;
    const m = marks(t);
    any |= m;
    if (m & BCS_ONLY_BIT) bcs++;
    if (!t.fromHashtag) words++;
  }
  // Nothing of another language, or too little to tell ("#NTVGenLaPlata" alone is no Romanian).
  if (!(any & ~BCS_ONLY_BIT) || words < 2) return undefined;
  // Read from the words' Latin forms, never the raw text: a Serbian post and its Cyrillic
  // transliteration are then decided alike (and URLs and @handles say nothing of the language).
  const lower = n.tokens
    .filter((t) => t.kind === 'word')
    .map((t) => t.display)
    .join(' ');
  const r = detector().detect(lower);
  const top = r.language;
  if (!top || SERVED.has(top) || !r.isReliable()) return undefined;
  const scores = r.getScores();
  const margin = (scores[top] ?? 0) - Math.max(0, ...[...SERVED].map((l) => scores[l] ?? 0));
  // The post's own evidence for the language ELD names: its letters count twice, its words once.
  const bit = LATIN_MARKED.indexOf(top);
  const markers = bit < 0 ? 0 : n.tokens.filter((t) => t.kind === 'word' && marks(t) & bitOf(bit)).length;
  const evidence = 2 * count(lower, LETTERS[top] ?? LETTERS.other!) + markers;
  if (/đ/u.test(lower)) bcs += 2;
  // Polish writes ć too; for every other language it is BCS's.
  if (top !== 'pl' && /ć/u.test(lower)) bcs += 2;
  const t = NEIGHBOUR_TUNING;
  if (SLAVIC_LATIN.has(top)) {
    if (evidence <= bcs || evidence < t.slavicEvidence || margin < t.slavicMargin) return undefined;
  } else if (!FAR.has(top) || bcs + bcsFunctionWords(n) > evidence || margin < t.farMargin || (evidence === 0 && margin < 2 * t.farMargin)) return undefined;
  return { language: top, confidence: Math.min(0.95, 0.6 + margin) };
}

/**
 * What a neighbour needs, chosen on the train sets (scripts/tune-neighbours.ts): a Slavic one its own
 * evidence and ELD's lead over BCS and English; a distant one (German, Italian…) a clear lead.
 */
export const NEIGHBOUR_TUNING = { slavicEvidence: 1, slavicMargin: 0.03, farMargin: 0.06, mkEvidence: 2 };

function cyrillicNeighbour(lower: string, norms: string[]): Neighbour | undefined {
  if (SERBIAN_LETTERS.test(lower)) return undefined;
  const east = count(lower, EAST_CYRILLIC) + (SERBIAN_OR_MACEDONIAN.test(lower) ? 0 : norms.filter((w) => MARKERS.east!.has(w)).length);
  if (east > 0) {
    // Which of the eastern languages, ELD tells (never Serbian: these letters are not Serbian).
    const r = detector().detect(lower);
    const named = Object.entries(r.getScores())
      .filter(([l]) => !SERVED.has(l))
      .sort((a, b) => b[1] - a[1])[0]?.[0];
    return { language: named ?? 'ru', confidence: Math.min(0.95, 0.7 + 0.05 * east) };
  }
  // Macedonian's own words, its definite nouns ("сигналот", "филмот") and its past plurals ("наплативте").
  const macedonian =
    2 * count(lower, MACEDONIAN_LETTERS) +
    norms.filter((w) => MARKERS.mk!.has(w) || (w.length >= 5 && w.endsWith('ot') && w !== 'zivot') || (w.length >= 6 && w.endsWith('vte'))).length;
  return macedonian >= NEIGHBOUR_TUNING.mkEvidence ? { language: 'mk', confidence: Math.min(0.95, 0.6 + 0.1 * macedonian) } : undefined;
}
