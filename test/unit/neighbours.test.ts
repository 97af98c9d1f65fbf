import { describe, expect, it } from 'vitest';
import { compilePack } from '../../rules/engine/compile.ts';
import { Pack } from '../../rules/engine/schema.ts';
import { analyze, analyzeDetailed, evaluate, latinToCyrillic } from '../../rules/index.ts';
import { postFacts } from '../helpers/post-facts.ts';

// Written for this test (the labelled neighbour posts stay with the evaluation).
const NEIGHBOURS: Array<[string, string]> = [
  ['sl', 'Že teden dni čakam na povratni klic, nihče se ne oglasi.'],
  ['mk', 'Зошто сметката е многу голема овој месец?'],
  ['ru', 'Почему у меня списали деньги дважды?'],
  ['bg', 'Защо ми взехте парите два пъти този месец?'],
  ['de', 'Warum ist meine Rechnung so hoch, das kann nicht stimmen.'],
  ['it', 'Perché la mia bolletta è così alta questo mese?'],
  ['pl', 'Dlaczego rachunek jest taki wysoki w tym miesiącu?'],
  ['cs', 'Proč je účet tak vysoký, nikdo mi to nevysvětlil.'],
];

describe('languages odziv does not read', () => {
  it('names them "other", with the language in languageGuess', () => {
    for (const [lang, text] of NEIGHBOURS) expect(analyze(text), text).toMatchObject({ language: 'other', languageGuess: lang });
  });

  it('reads no BCS or English sentiment into them: an angry German or Slovenian complaint is not flagged', () => {
    for (const text of [
      'Das ist eine Frechheit, seit einer Woche funktioniert nichts und keiner ruft zurück!',
      'Sramota, že tretji teden mi ne deluje nič, nihče ne pomaga! 😡',
    ]) {
      const a = analyze(text);
      expect(a, text).toMatchObject({ language: 'other', sentiment: 0, negative: false, complaint: 0, isComplaint: false, categories: [] });
    }
  });

  it('leaves Croatian, Serbian in both scripts, Bosnian, kajkavian and English posts alone', () => {
    const served: Array<[string, string]> = [
      ['hr', 'Zašto mi je račun ovako visok ovaj mjesec, nitko mi ne zna objasniti?'],
      ['sr', 'Зашто ми је рачун овако висок овај месец, нико не уме да објасни?'],
      ['bs', 'Zašto mi je račun ovoliki, bolan, ko će mi to objasniti?'],
      ['kajkavian', 'Kaj se dogaja, zakaj mi opet ne dela internet?'],
      ['en', 'Why is my bill so high this month, nobody can explain it?'],
    ];
    for (const [what, text] of served) {
      const a = analyze(text);
      expect(a.language, `${what}: ${text}`).not.toBe('other');
      expect(a.languageGuess, what).toBeUndefined();
    }
    // A Serbian post and its Cyrillic transliteration are read alike, neighbour gate included.
    const latin = 'Ne radi mi internet već tri dana, nikoga nije briga';
    expect(analyze(latinToCyrillic(latin))).toMatchObject({ negative: analyze(latin).negative, isComplaint: analyze(latin).isComplaint });
  });

  it('is flagged by a rule that asks for it', () => {
    const pack = compilePack(
      Pack.parse({
        pack: 't',
        rules: [{ id: 'german-billing', conditions: { language: 'other', keywords: ['rechnung'] }, actions: { flag: { reason: 'German billing' } } }],
      }),
      't.yaml',
    );
    const facts = (text: string) => postFacts({ platform: 'facebook', text });
    const text = 'Warum ist meine Rechnung so hoch, das kann nicht stimmen.';
    expect(evaluate([pack], analyzeDetailed(text), facts(text)).flags.map((f) => f.ruleId)).toEqual(['german-billing']);
    const croatian = 'Rechnung? Ne, račun mi je opet kriv i nitko se ne javlja.';
    expect(evaluate([pack], analyzeDetailed(croatian), facts(croatian)).flags).toEqual([]);
  });
});
