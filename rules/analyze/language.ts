import type { Normalized, Token } from './normalize.ts';
import { loadStandards, namedStandard, type StandardGuess, type StandardsTable, standardGuess } from './standards.ts';
import { knownShare, loadTrigrams, type TrigramTable, trigramScore } from './trigrams.ts';

export const LANGUAGES = ['en', 'hr', 'sr', 'bs', 'bcs-family', 'other'] as const;
export type Language = (typeof LANGUAGES)[number];
export type LanguageFamily = 'en' | 'bcs' | 'other';

export interface LanguageGuess {
  language: Language;
  confidence: number;
  family: LanguageFamily;
  /** A language odziv does not read ("sl", "mk", "de"…): `language` is then "other", and nothing is read into the words. */
  neighbour?: string;
}

// Folded forms (no diacritics): the tokens' `norm`.
const EN = new Set(
  (
    'the and is are was were to you your my me i im it its this that for of in on with have has ' +
    'not be at just can what why how get been still please thanks thank will do does did no so an a any from they ' +
    'we our us all out now when who would could should about there their than then only very really after again ' +
    'never ever one day hours service customer order flight help'
  ).split(' '),
);
const BCS = new Set(
  (
    'je i da se na u za ne su sam sa sta sto kako ali to ovo ono mi vi ste smo bi li vec jos nije ' +
    'nema ima kad kada gdje gde zasto koji koja koje od do iz pa te me moj moja moje vas vasa vase hvala molim danas ' +
    'sutra jucer juce kao ili sve samo bio bila bilo biti ce cu ces cemo nisam jer zbog vise treba mogu moze nego ' +
    'evo eto ma jel ni niti tek jos opet dok sad sada sve uvijek uvek nikad nikada ako ovaj ova taj ta tu tamo ' +
    'ja ti on ona mi oni neko nesto nista puta put godine dana sati isto tako nisu jesi jeste'
  ).split(' '),
);

// Words and forms that lean to one standard. Ekavian/ijekavian reflexes and lexical pairs (not
// words every standard uses: "sad", "isto", "hvala" would only add noise).
const HR = new Set(
  (
    'tko tjedan tjedna tjednu kruh vlak zrak nogomet obitelj tisuca tisucu tocno opcenito ' +
    'uopce sretan sretna sretno kaj bok hrvatska hrvatski hrvatske zagreb zagrebu split splitu rijeka rijeci osijek ' +
    'kuna kune eura kolovoz listopad studeni prosinac sijecanj veljaca ozujak travanj svibanj lipanj srpanj rujan ' +
    'tvrtka tvrtke sveuciliste zrakoplov glazba kazaliste povijest trebam organizirati informirati reagirati ' +
    'lijepa dobivam ukljucen tocka netko nitko vjerojatno'
  ).split(' '),
);
const SR = new Set(
  (
    'gde uvek deca dete mleko lepo lep lepa rec vreme vremena nedelja nedelje hleb hteo hteli ' +
    'pesma sreca srecan srecna mesto cena cene primer verovatno ceo celo hiljada hiljade voz opstina uopste ' +
    'porodica cerka vazduh fudbal hemija tacno kafa pijaca covek coveka dve pre posle srbija srbije srbiji ' +
    'beograd beogradu resenje reseno uslov uvecan celu videti sedeti pevati predsednik organizovati ' +
    'informisati reagovati decembar januar februar bre delimo resili mesec meseca meseci ovde'
  ).split(' '),
);
const BS = new Set(
  (
    'ba bolan jarane jarane rahat lahko lahka kahva kahve sahat sahata merhaba selam insallah ' +
    'bajram mahala mahale hair haman dzaba cejf havla bosna bosne bosni bih sarajevo sarajevu tuzla mostar zenica ' +
    'banjaluka historija hljeb sedmica sedmice sedmicu hiljada hiljade familija kontam'
  ).split(' '),
);
// Ijekavian forms shared by hr and bs: they rule out sr (ekavian) without choosing between hr and bs.
const IJEKAVIAN_WORDS = new Set(
  (
    'gdje uvijek djeca dijete mlijeko lijepo lijep lijepa rijec vrijeme vremena ' +
    'mjesto cijena cijene primjer vjerovatno vjerojatno cijeli cijelo prije poslije rjesenje rijeseno vidjeti ' +
    'sjediti pjevati mjesec mjeseca mjeseci htio htjeli pjesma sretno bijel'
  ).split(' '),
);

const IS_EN = 1,
  IS_BCS = 2,
  IS_HR = 4,
  IS_SR = 8,
  IS_BS = 16,
  IS_IJEKAVIAN = 32;
declare module './normalize.ts' {
  interface WordFacts {
    /** Which of the word lists above hold the word (IS_* bits). */
    languages?: number;
  }
}
function listsOf(w: string): number {
  return (
    (EN.has(w) ? IS_EN : 0) |
    (BCS.has(w) ? IS_BCS : 0) |
    (HR.has(w) ? IS_HR : 0) |
    (SR.has(w) ? IS_SR : 0) |
    (BS.has(w) ? IS_BS : 0) |
    (IJEKAVIAN_WORDS.has(w) ? IS_IJEKAVIAN : 0)
  );
}

/** A table from models/, loaded on first use; `npm run train` puts in force the one it has just built. */
function trainedTable<T>(file: string, load: (path: URL) => T | undefined) {
  let table: T | undefined | null = null;
  return {
    use: (t?: T) => void (table = t),
    get: (): T | undefined => (table === null ? (table = load(new URL(`./models/${file}`, import.meta.url))) : table),
  };
}
const trigrams = trainedTable<TrigramTable>('language-trigrams.json', loadTrigrams);
const standards = trainedTable<StandardsTable>('language-standards.json', loadStandards);
export const useTrigrams = trigrams.use;
export const useStandards = standards.use;

/** Posterior needed to name a standard when no trained table exists (markers alone). */
const MARKERS_ONLY_THRESHOLD = 0.75;

/** The curated markers as log-odds for hr, sr, bs, by a word's list bits: ijekavian forms count half for hr and bs. */
const MARKER_VOTES = Array.from({ length: 64 }, (_, lists): readonly [number, number, number] | undefined => {
  if (!(lists & (IS_HR | IS_SR | IS_BS | IS_IJEKAVIAN))) return undefined;
  const ijek = lists & IS_IJEKAVIAN ? 0.5 : 0;
  return [(lists & IS_HR ? 1 : 0) + ijek, lists & IS_SR ? 1 : 0, (lists & IS_BS ? 1 : 0) + ijek];
});
/** The hr/sr/bs guess for a BCS post under a word table (`npm run train` passes the one it is fitting). */
export function standardGuessOf(n: Pick<Normalized, 'tokens'>, table: StandardsTable | undefined): StandardGuess {
  return standardGuess(table, n, (t) => MARKER_VOTES[wordLists(t)]);
}
const wordLists = (t: Token) => (t.word ? (t.word.facts.languages ??= listsOf(t.norm)) : listsOf(t.norm));

/** How many of the post's words are BCS function words or standard markers. */
export function bcsFunctionWords(n: Pick<Normalized, 'tokens'>): number {
  let k = 0;
  for (const t of n.tokens) if (t.kind === 'word' && wordLists(t) & (IS_BCS | IS_HR | IS_SR | IS_BS | IS_IJEKAVIAN)) k++;
  return k;
}

/** Trigram evidence this strong decides a post without function words (chosen by CV on train). */
const TRIGRAMS_DECIDE = 2;
/** …and this strong overrules the function words (English "i", "on", "to" are BCS words too). */
const TRIGRAMS_OVERRULE = 6;

/**
 * Guesses the language of a post from function words and standard-specific forms, with character
 * trigrams to settle short and ambiguous posts between English and BCS. Close
 * Croatian/Serbian/Bosnian posts without distinctive forms are "bcs-family" at lower confidence.
 */
export function detectLanguage(n: Normalized): LanguageGuess {
  const table = trigrams.get();
  const guess = table ? settleFamily(detectFromWords(n), trigramScore(table, n), (family) => knownShare(table, n, family)) : detectFromWords(n);
  // Cyrillic BCS is Serbian. The family (what decides the analysis) comes from the words alone,
  // so a text and its transliteration are always read the same way.
  if (n.hasCyrillic) return { language: 'sr', confidence: guess.family === 'bcs' ? 0.9 : 0.5, family: guess.family };
  return guess;
}

/** A family the trigrams pick must also know a third of the words (else: another language; CV on train). */
const KNOWN_WORDS = 0.34;

function settleFamily(guess: LanguageGuess, score: number, known: (family: 'en' | 'bcs') => number): LanguageGuess {
  const decide = guess.family === 'other' ? TRIGRAMS_DECIDE : TRIGRAMS_OVERRULE;
  if (score > decide && guess.family !== 'en' && known('en') >= KNOWN_WORDS)
    return { language: 'en', confidence: Math.min(0.9, 0.5 + score / 40), family: 'en' };
  if (score < -decide && guess.family !== 'bcs' && known('bcs') >= KNOWN_WORDS)
    return { language: 'bcs-family', confidence: Math.min(0.8, 0.5 + -score / 40), family: 'bcs' };
  return guess;
}

function detectFromWords(n: Normalized): LanguageGuess {
  let en = 0;
  let bcs = 0;
  let diacritics = 0;
  let words = 0;
  for (const t of n.tokens) {
    if (t.kind !== 'word') continue;
    words++;
    const lists = wordLists(t);
    if (lists) {
      if (lists & IS_EN) en++;
      // A BCS function word, and each standard's marker, all count for the family (one per list).
      for (let m = lists & (IS_BCS | IS_HR | IS_SR | IS_BS | IS_IJEKAVIAN); m; m &= m - 1) bcs++;
    }
    if (t.display !== t.norm && /[čćšžđ]/.test(t.display)) diacritics++;
  }
  const bcsScore = bcs + diacritics * 1.5;
  if (words === 0) return { language: 'other', confidence: 0.2, family: 'other' };
  if (en === 0 && bcsScore === 0) {
    // No function words at all (short posts): ASCII words lean English, anything else is unknown.
    return { language: 'other', confidence: 0.3, family: 'other' };
  }
  if (en > bcsScore) {
    return { language: 'en', confidence: Math.min(0.99, 0.55 + 0.1 * (en - bcsScore)), family: 'en' };
  }
  // Within BCS: the trained word table and the markers name a standard only when clearly ahead.
  const table = standards.get();
  const guess = standardGuessOf(n, table);
  const named = namedStandard(guess, table?.threshold ?? MARKERS_ONLY_THRESHOLD);
  // Confidence: a named standard 0.65–0.95 with its posterior; "bcs-family" below that, 0.5–0.6.
  if (named) return { language: named, confidence: Math.round((0.5 + 0.45 * Math.max(...guess.posterior)) * 100) / 100, family: 'bcs' };
  return { language: 'bcs-family', confidence: Math.min(0.6, 0.5 + 0.02 * bcsScore), family: 'bcs' };
}
