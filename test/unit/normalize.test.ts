import { describe, expect, it } from 'vitest';
import { cyrillicToLatin, fold, latinToCyrillic, normalize } from '../../rules/analyze/normalize.ts';

describe('normalize', () => {
  it('transliterates Serbian Cyrillic to Latin, digraphs included', () => {
    expect(cyrillicToLatin('љубав њива џеп ђак ћерка')).toBe('ljubav njiva džep đak ćerka');
    expect(latinToCyrillic('Ljubav, njiva, džep, đak, ćerka')).toBe('Љубав, њива, џеп, ђак, ћерка');
  });

  it('folds diacritics the way people type without them', () => {
    expect(fold('čekam')).toBe('cekam');
    expect(fold('šišmiš')).toBe('sismis');
    expect(fold('žuto')).toBe('zuto');
    expect(fold('đak')).toBe('djak');
    expect(fold('café')).toBe('cafe');
  });

  it('sets aside URLs and handles, keeps hashtags as words, emoji and emoticons as signals', () => {
    const n = normalize('@VedraTel ne radi!!! https://t.co/abc #NeRadiInternet :( 😡');
    expect(n.handles).toEqual(['VedraTel']);
    expect(n.urls).toEqual(['https://t.co/abc']);
    expect(n.hashtags).toEqual(['NeRadiInternet']);
    const words = n.tokens.filter((t) => t.kind === 'word').map((t) => t.norm);
    expect(words).toEqual(['ne', 'radi', 'ne', 'radi', 'internet']);
    expect(n.tokens.filter((t) => t.kind === 'emoticon').map((t) => t.display)).toEqual([':(']);
    expect(n.tokens.filter((t) => t.kind === 'emoji').map((t) => t.display)).toEqual(['😡']);
    expect(n.tokens.some((t) => t.display.includes('vedra') || t.display.includes('t.co'))).toBe(false);
  });

  it('reads repeated emoticon mouths as the emoticon itself (":)))" is ":)"), and in Cyrillic alike', () => {
    const emoticons = (text: string) =>
      normalize(text)
        .tokens.filter((t) => t.kind === 'emoticon')
        .map((t) => [t.display, t.norm]);
    expect(emoticons('super je bilo :))) hvala <333 ^_^')).toEqual([
      [':)))', ':)'],
      ['<333', '<3'],
      ['^_^', '^^'],
    ]);
    expect(emoticons('opet ne radi :(( a ni jučer :-(((')).toEqual([
      [':((', ':('],
      [':-(((', ':-('],
    ]);
    expect(emoticons('опет не ради :((')).toEqual([[':((', ':(']]);
    expect(emoticons('volim vas &lt;3 &amp;&amp; vi mene')).toEqual([['<3', '<3']]);
    // Times and ratios are not faces.
    expect(emoticons('u 8:30 ili 3:1')).toEqual([]);
    // Mouths first: "((:" is "(:", however many brackets a hostile post stacks up.
    expect(emoticons('hvala ((: i ]]]:')).toEqual([
      ['((:', '(:'],
      [']]]:', ']:'],
    ]);
    expect(emoticons(`${'('.repeat(25_000)}:`)).toEqual([[`${'('.repeat(25_000)}:`, '(:']]);
  });

  it('tells a post written to an account (a reply, ".@brand") from one that names it to its own followers', () => {
    for (const text of ['@VedraTel ne radi', '.@VedraTel ne radi', '  @ana @VedraTel ne radi', '@VedraTel не ради'])
      expect(normalize(text).addressed, text).toBe(true);
    for (const text of ['ne radi @VedraTel', 'Thanks @JetBlue for ruining my morning', 'mail@example.com']) expect(normalize(text).addressed, text).toBe(false);
  });

  it('squeezes elongations and marks shouting', () => {
    const n = normalize('uzasnooooo SRAMOTA');
    expect(n.tokens[0]!.norm).toBe('uzasnoo');
    expect(n.tokens[1]!.shout).toBe(true);
  });

  it('gives the same matching forms for a text and its Cyrillic transliteration', () => {
    const latin = 'Čekam već dvije sedmice, niko se ne javlja. Đubre od usluge!';
    const a = normalize(latin).tokens.map((t) => t.norm);
    const b = normalize(latinToCyrillic(latin)).tokens.map((t) => t.norm);
    expect(b).toEqual(a);
  });

  it('marks punctuation so negation scope can end there', () => {
    const n = normalize('nije loše, hvala');
    expect(n.tokens.map((t) => Boolean(t.breakBefore))).toEqual([false, false, true]);
  });
});
