import { describe, expect, it } from 'vitest';
import { DEFAULT_SAMPLE, loadSample } from '../../adapters/replay/sample.ts';
import { bcsStem, enStem } from '../../rules/analyze/stem.ts';
import { analyze, fold, latinToCyrillic } from '../../rules/index.ts';

describe('analyze', () => {
  it('reads a Croatian outage complaint: negative, a complaint, broken, with the words that decided it', () => {
    const a = analyze('@VedraTel internet opet ne radi od jutra, čekam tehničara!');
    expect(a.negative).toBe(true);
    expect(a.isComplaint).toBe(true);
    expect(a.categories).toContain('broken');
    expect(a.evidence.broken?.join(' ')).toContain('ne radi');
  });

  it('treats "nije loše" as not negative and "not good" as negative (negation scope)', () => {
    expect(analyze('Nije loše, hvala!').negative).toBe(false);
    expect(analyze('The service is not good').sentiment).toBeLessThan(0);
    expect(analyze('The service is good').sentiment).toBeGreaterThan(0);
  });

  it('does not let a negator reach past punctuation', () => {
    const a = analyze('Ne znam, ali hvala vam puno');
    expect(a.sentiment).toBeGreaterThan(0);
  });

  it('intensifiers make a sentiment stronger', () => {
    expect(Math.abs(analyze('jako loše').sentiment)).toBeGreaterThan(Math.abs(analyze('loše').sentiment));
    expect(analyze('really terrible').sentiment).toBeLessThan(analyze('terrible').sentiment);
  });

  it('weighs what follows a contrast more ("but", "ali")', () => {
    expect(analyze('The staff were nice but the wifi is terrible').sentiment).toBeLessThan(0);
    expect(analyze('Dostava je kasnila, ali je kurir bio jako ljubazan, hvala').sentiment).toBeGreaterThan(0);
  });

  it('recognises churn intent in every language', () => {
    for (const text of [
      'Otkazujem ugovor, prelazim kod konkurencije.',
      'Cancelling my contract, switching to another provider.',
      'Отказујем све, прелазим код конкуренције.',
    ]) {
      expect(analyze(text).categories, text).toContain('churn');
    }
  });

  it('never lets a legal threat or safety issue pass as no complaint, whatever the English model says', () => {
    for (const text of ['If this is not fixed I will report you to the consumer protection office.', 'The charger caught fire while my phone was charging!!']) {
      const a = analyze(text);
      expect(a.isComplaint, text).toBe(true);
      expect(
        a.categories.some((c) => c === 'legal' || c === 'safety'),
        text,
      ).toBe(true);
    }
  });

  it('tells a price question from a billing complaint, and a plan ("paket") from a parcel', () => {
    const question = analyze('Која је цена новог пакета?');
    expect(question.isComplaint).toBe(false);
    expect(question.categories).toEqual(['question']);
    expect(analyze('Paket još nije stigao, a naručio sam prije dva tjedna.').categories).toContain('delivery');
    const outage = analyze('Već treći dan nemam internet, a na korisničkoj podršci nitko ne diže slušalicu.');
    expect(outage.categories).toEqual(expect.arrayContaining(['broken', 'waiting']));
    expect(outage.isComplaint).toBe(true);
  });

  it('hears churn in "considering switching providers" and a fault in "problem sa ruterom, stalno se resetuje"', () => {
    const churn = analyze('Third outage this week. Seriously considering switching providers.');
    expect(churn.categories).toEqual(expect.arrayContaining(['broken', 'churn']));
    expect(churn.isComplaint).toBe(true);
    expect(analyze('Jel ima neko da je imao problem sa ruterom? Stalno se resetuje').categories).toContain('broken');
    expect(analyze('No complaints here, everything works fine').isComplaint).toBe(false);
  });

  it('keeps the severe categories for what they mean, not for words that share their stem', () => {
    // Logging in, reporting a fault, sign-ups and court news are no legal threat; "urgently" and
    // "sick of" no safety issue; an airport terminal or a government abolishing a tax no churn.
    const none = (text: string, ...cats: string[]) => {
      const a = analyze(text);
      for (const c of cats) expect(a.categories, text).not.toContain(c);
      return a;
    };
    expect(none('Ne mogu se prijaviti u aplikaciju', 'legal').categories).toContain('broken');
    expect(none('Prijavio sam kvar prije tri dana i još čekam', 'legal').categories).toEqual(expect.arrayContaining(['broken', 'waiting']));
    none('Prijave za radionicu su otvorene', 'legal');
    none('Ustavni sud donio je odluku', 'legal');
    none('Hitno trebam pomoć oko računa', 'safety');
    expect(none('I am sick of waiting for my refund', 'safety').categories).toEqual(expect.arrayContaining(['waiting', 'refund']));
    none('The terminal was packed this morning', 'churn');
    none('Vlada je ukinula porez', 'churn');
    // ... while the threats themselves still read as such.
    expect(analyze('Prijavit ću vas tržišnoj inspekciji').categories).toContain('legal');
    expect(analyze('I want to cancel my subscription').categories).toContain('churn');
    expect(analyze('Punjač se zapalio dok je bio u utičnici').categories).toContain('safety');
  });

  it('hears a parcel in "čekam paket", and calls waiting weeks for it with nobody answering a complaint', () => {
    const a = analyze('Čekam paket već tri tjedna, nitko se ne javlja');
    expect(a.categories).toEqual(expect.arrayContaining(['delivery', 'waiting']));
    expect(a.isComplaint).toBe(true);
  });

  it('flags BCS customer-care complaints written without a handle (a Facebook comment has none), and not questions or news', () => {
    // No labelled BCS complaints exist, so this is the check that the hand-set signals still hold.
    const complaints = [
      'Dostava kasni pet dana, a na stranici piše da je paket isporučen',
      'Treći put zovem korisničku službu i opet ništa. Katastrofa.',
      'Već sedam dana nemam signal u stanu, a plaćam svaki mjesec',
      'Ne radi mi aplikacija, stalno izbacuje grešku pri prijavi',
      'Pet dana čekam povrat novca za otkazani let',
      'Zašto mi je opet prekinuta linija usred razgovora?',
      'Радница на каси је била изузетно безобразна према мени',
      'Novi ruter se gasi svakih pola sata, resetirala sam ga deset puta',
      'Skinuli ste mi novac s kartice dva puta, ovo nije normalno',
      'Интернет пада свако вече, не можемо ни филм да гледамо',
      'Aplikacija mi se ruši čim je otvorim',
      // Sarcasm: praise words with an eye-roll count against.
      'Kupila mobitel prije tjedan dana, već ne puni. Super kvaliteta 🙄',
    ];
    for (const text of complaints) expect(analyze(text).isComplaint, text).toBe(true);
    const others = [
      'Kada otvarate novu trgovinu u Splitu?',
      'Imate li neku akciju za studente?',
      'Tužna vijest, preminuo je poznati glumac',
      'Poplave u Slavoniji, stotine ljudi evakuirano',
      'Gdje mogu pronaći upute za ruter?',
      'Prijave za radionicu su otvorene do petka',
      'Kako mogu dobiti račun na e-mail?',
      'How do I change the name on my account?',
      'Gde mogu da platim račun bez provizije?',
    ];
    for (const text of others) expect(analyze(text).isComplaint, text).toBe(false);
    // A bill is a topic, not a feeling (CroSentiLex's news labels call "račun" negative).
    expect(analyze('Kako mogu dobiti račun na e-mail?').evidence.negative ?? []).not.toContain('račun');
  });

  it('flags two- and three-word BCS complaints, which the model trained on general chatter does not read as negative', () => {
    for (const text of [
      'Paket kasni tjedan dana',
      'Dostava kasni',
      'Užasna podrška',
      'Katastrofa od usluge',
      'Reklamacija odbijena',
      'Prevara!',
      'Otkazujem pretplatu',
      'Kartica mi je blokirana bez razloga',
    ]) {
      expect(analyze(text).isComplaint, text).toBe(true);
    }
    // A late parcel is a delivery problem and a wait, from one phrase.
    const late = analyze('Dostava kasni');
    expect(late.categories).toEqual(expect.arrayContaining(['delivery', 'waiting']));
    expect(late.evidence.delivery).toEqual(['dostava kasni']);
    expect(late.evidence.waiting).toEqual(['dostava kasni']);
    expect(analyze('Užasna podrška').categories).toContain('staff');
    // "kasnije" (later) shares the stem of "kasni" and stays no complaint.
    for (const text of ['Javit ću se kasnije', 'Hvala na brzom odgovoru!', 'Danas je lijep dan']) expect(analyze(text).isComplaint, text).toBe(false);
  });

  it('reads a post too short for function words in the family whose care words it uses, at low confidence', () => {
    for (const text of ['Otkazujem pretplatu', 'Prelazim kod konkurencije', 'Reklamacija odbijena']) {
      const a = analyze(text);
      expect(a.language, text).toBe('bcs-family');
      expect(a.languageConfidence, text).toBeLessThan(0.5);
      const cyrillic = analyze(latinToCyrillic(text));
      expect(cyrillic.language, text).toBe('sr');
      expect([cyrillic.isComplaint, cyrillic.categories], text).toEqual([a.isComplaint, a.categories]);
    }
    // Words no lexicon knows stay "other".
    expect(analyze('Das ist wirklich nicht gut heute').language).toBe('other');
    expect(analyze('Zzzz blorp').language).toBe('other');
  });

  it('a cancellation the company made is a broken service, not the customer leaving', () => {
    for (const text of ['@Delta cancelled my flight and nobody answers', 'my flight was canceled again', 'Otkazali su mi let i nitko se ne javlja']) {
      const a = analyze(text);
      expect(a.categories, text).toContain('broken');
      expect(a.categories, text).not.toContain('churn');
    }
    expect(analyze('I want to cancel my subscription').categories).toContain('churn');
  });

  it('finds a complaint without strong sentiment words', () => {
    const a = analyze('@VedraTel still waiting for my refund, order 1234');
    expect(a.isComplaint).toBe(true);
    expect(a.categories).toEqual(expect.arrayContaining(['refund', 'waiting']));
  });

  it('reads a problem written to a customer-care account as more likely a complaint than the same words to a friend', () => {
    for (const [care, friend, text] of [
      ['@AskVedraTel', '@johnny_b', 'my order 1234 still has not arrived'],
      ['@VedraTel_pomoc', '@markoo', 'internet mi ne radi od jutra'],
    ]) {
      expect(analyze(`${care} ${text}`).complaint).toBeGreaterThan(analyze(`${friend} ${text}`).complaint);
    }
  });

  it("reads a post from the brand's stream as written to the brand, @handle or not (search hits, comments)", () => {
    // Complaints naming the brand without its handle: chatter to the English model alone, a complaint in context.
    for (const text of ['Vedra package late again', 'Vedra internet down again in Split', 'App keeps crashing']) {
      const alone = analyze(text);
      const inStream = analyze(text, { toBrand: true });
      expect(alone.isComplaint, text).toBe(false);
      expect(inStream.isComplaint, text).toBe(true);
      expect(inStream.complaint, text).toBeGreaterThan(alone.complaint + 0.1);
    }
    expect(analyze('App keeps crashing', { toBrand: true }).evidence.model).toContain('a problem, written to an account');
    // Context does not make a complaint of praise, a question or chatter.
    for (const text of ['Love the new Vedra store!', 'Does Vedra ship to Canada?', 'Watching the game tonight'])
      expect(analyze(text, { toBrand: true }).isComplaint, text).toBe(false);
    // A post that names the brand's handle reads the same either way.
    expect(analyze('@VedraTel my order 1234 still has not arrived', { toBrand: true }).complaint).toBe(
      analyze('@VedraTel my order 1234 still has not arrived').complaint,
    );
  });

  it('explains the model in words a responder reads: post words as written, signals in plain language', () => {
    for (const text of ['@AskVedraTel where is my refund?? nothing works :(((', 'Internet opet ne radi, sramota!', 'Отказујем, не ради ништа!']) {
      const model = analyze(text).evidence.model ?? [];
      expect(model.length, text).toBeGreaterThan(0);
      for (const e of model) expect(e, text).not.toMatch(/^(!|(lex|csl|afinn-bcs|mix|shape|cat|emo|emt|family|model):)/);
    }
  });

  it('shows a phrase listed as neutral as no sentiment evidence: "customer service", "opening hours"', () => {
    const staff = analyze('Your customer service is useless');
    expect(staff.evidence.positive).toBeUndefined();
    expect(staff.evidence.negative).toEqual(['useless']);
    // "hours" alone is a complaint word (hours on hold); in "opening hours" it is not.
    expect(analyze('I waited for hours').evidence.negative).toContain('hours');
    const hours = analyze('What are your opening hours on Sunday?').evidence;
    expect([...(hours.negative ?? []), ...(hours.positive ?? [])]).toEqual([]);
  });

  it('lists each piece of evidence once, a dozen at most, however often a post repeats it', () => {
    const a = analyze('ne radi, užasno, čekam, sramota, katastrofa, lopovi '.repeat(2_000));
    for (const [k, terms] of Object.entries(a.evidence)) {
      expect(new Set(terms).size, k).toBe(terms.length);
      expect(terms.length, k).toBeLessThanOrEqual(12);
    }
    expect(a.evidence.broken).toEqual(['ne radi']);
    expect(a.isComplaint).toBe(true);
  });

  it('leaves a word longer than any language has unstemmed (the stemmer would loop over it)', () => {
    const long = 'http'.repeat(25);
    expect([bcsStem(long), enStem(long)]).toEqual([long, long]);
    expect(enStem('waiting')).toBe('wait');
  });

  it('names the evidence of every category it reports, the question cue included (demo stream)', () => {
    const items = loadSample(DEFAULT_SAMPLE);
    let questions = 0;
    for (const item of items) {
      const a = analyze(item.text);
      for (const c of a.categories) expect(a.evidence[c]?.length ?? 0, `${c}: ${item.text}`).toBeGreaterThan(0);
      if (a.categories.includes('question')) questions++;
    }
    expect(questions).toBeGreaterThan(5);
    expect(analyze('Kada otvarate trgovinu').evidence.question).toEqual(['kada']);
  });

  it('leaves grammar words out of the reasons: "je", "se", "the" weigh in the model but explain nothing', () => {
    const grammar = /^((je|se|su|u|na|i|da|li|the|was|this|is|to|a|је|се|су)\s*)+$/i;
    const texts = [
      'Punjač se zapalio dok je bio u utičnici',
      'The terminal was packed this morning',
      'Да ли је ово нормално, опет не ради',
      'Danas je u Zagrebu sunčano',
      'Prijave za radionicu su otvorene',
    ];
    let shown = 0;
    for (const text of texts) {
      for (const e of analyze(text).evidence.model ?? []) {
        shown++;
        expect(e, text).not.toMatch(grammar);
      }
    }
    expect(shown).toBeGreaterThan(3);
  });

  it('puts every complaint score on one scale: 0.5 is where isComplaint turns true, whichever model read the post', () => {
    // Some of these sat between the English model's threshold (~0.43) and a rule's 0.45: a complaint no rule flagged.
    const texts = [
      'still waiting for the technician @VedraTel',
      '@VedraTel internet slow again tonight',
      '@united lost my bag',
      '@Delta cancelled my flight and nobody answers',
      'my flight was canceled again',
      'Love the new app update!',
      'why is my bill $40 higher this month??',
      'Internet opet ne radi, čekam od jutra!',
      'Hvala, super ste!',
      'Да ли радите суботом?',
      'ok',
      'asdf qwer zxcv',
    ];
    for (const text of texts) {
      const a = analyze(text);
      expect(a.complaint >= 0.5, text).toBe(a.isComplaint);
      expect(a.complaint).toBeGreaterThanOrEqual(0);
      expect(a.complaint).toBeLessThanOrEqual(1);
    }
  });

  it('knows the staff a customer names by role and the verbs of a breakdown, in every script and without diacritics', () => {
    const staff = [
      'Šalterka me ignorirala pola sata i još je bila bezobrazna.',
      'Dostavljač mi je bacio paket preko ograde, sve je razbijeno.',
      'Serviser se opet nije pojavio, treći dan čekam.',
    ];
    const broken = [
      'Frižider ne hladi već tjedan dana, a garancija ništa.',
      'Perilica curi po cijeloj kupaonici, sramota.',
      'Mašina za veš ne pere, a tek je kupljena!',
    ];
    for (const text of staff) for (const form of [text, fold(text), latinToCyrillic(text)]) expect(analyze(form).categories, form).toContain('staff');
    for (const text of broken) for (const form of [text, fold(text), latinToCyrillic(text)]) expect(analyze(form).categories, form).toContain('broken');
  });

  it('reads news that all is well again as news, and a number moved to the brand as a new customer', () => {
    for (const text of [
      'Vatrogasci: požar u trgovačkom centru je ugašen, nitko nije ozlijeđen.',
      'Саобраћајна несрећа код наплатне рампе, нема повређених.',
      'Fire at the depot is under control, nobody was hurt.',
    ])
      expect(analyze(text, { toBrand: true }), text).toMatchObject({ isComplaint: false, categories: expect.not.arrayContaining(['safety']) });
    expect(analyze('Punjač mi se zapalio u utičnici, umalo požar!').categories).toContain('safety');
    for (const text of ['Kako mogu prenijeti broj k vama od drugog operatera?', 'Koliko traje prenos broja kod vas?'])
      expect(analyze(text, { toBrand: true }).categories, text).not.toContain('churn');
    expect(analyze('Prenosim broj kod konkurencije, dosta mi je.').categories).toContain('churn');
  });

  it('knows a hazard without accident words and a price rise stated as a fact', () => {
    for (const text of ['Produžni kabel iskri čim ga uključim u zid.', 'Bojler smrdi na paljevinu od jutros.'])
      expect(analyze(text, { toBrand: true }), text).toMatchObject({ isComplaint: true, categories: expect.arrayContaining(['safety']) });
    expect(analyze('Ovaj mjesec plaćam više, a nitko me nije obavijestio o promjeni.', { toBrand: true })).toMatchObject({
      isComplaint: true,
      categories: expect.arrayContaining(['billing']),
    });
    expect(analyze('Topi se snijeg, proljeće stiže!').categories).not.toContain('safety');
  });

  it('reads "nema greške" and "bez problema" as no fault at all', () => {
    for (const text of ['Nema greške, sve je stiglo na vrijeme, hvala!', 'Bez problema, paket je stigao jučer.']) {
      const a = analyze(text);
      expect(a.categories, text).not.toContain('broken');
      expect(a.isComplaint, text).toBe(false);
    }
  });

  it('does not call praise a complaint', () => {
    const a = analyze('Hvala @VedraTel, tehničar je sve riješio za 20 minuta. Svaka čast!');
    expect(a.isComplaint).toBe(false);
    expect(a.categories).toContain('praise');
    // The English model reads "thank you" as the end of a request for help; thanks for a fix is praise.
    const en = analyze('Thank you @VedraTel, Ana from support fixed everything in 10 minutes. Brilliant service!');
    expect(en.isComplaint).toBe(false);
    expect(en.categories).toContain('praise');
    // ... and a request that ends with thanks is still a request.
    expect(analyze('@VedraTel my router still shows error E-204, can someone call me back? Thank you').isComplaint).toBe(true);
  });

  it('tells short English from BCS by its letters when function words cannot, and leaves other languages alone', () => {
    // Words both languages have ("i", "on", "to", "sad") once made these Serbian or bcs-family.
    for (const text of [
      "It's still funny. And sad.",
      'I guess that is too much to ask, huh?',
      'fav airline',
      'DM sent',
      'Probably inappropriate while on board.. But, it is on!',
    ]) {
      expect(analyze(text).language, text).toBe('en');
    }
    expect(analyze('Rekla sam mu da dođe sutra').language).toBe('bcs-family');
    expect(analyze('Рекла сам му да дође сутра').language).toBe('sr');
    expect(analyze('Das ist wirklich nicht gut heute').language).toBe('other');
  });

  it('identifies languages and says bcs-family when it cannot tell', () => {
    expect(analyze('Why was I charged twice for the same month?').language).toBe('en');
    expect(analyze('Тражим повраћај новца').language).toBe('sr');
    expect(analyze('Gde je moja porudžbina, uvek isto kod vas').language).toBe('sr');
    expect(analyze('Tko mi može reći zašto je račun veći ovaj tjedan?').language).toBe('hr');
    expect(analyze('Jarane, ovo ne radi ba').language).toBe('bs');
    expect(analyze('ne radi').language).toBe('bcs-family');
  });

  it('names the standard from the words each one uses, with its confidence, and not from words all three share', () => {
    const hr = analyze('Vidimo se sljedeći tjedan, netko mora donijeti kavu');
    expect(hr.language).toBe('hr');
    expect(hr.languageConfidence).toBeGreaterThanOrEqual(0.65);
    expect(analyze('Ovde je uvek gužva, ne razumem zašto').language).toBe('sr');
    expect(analyze('Ma kontam ja, sedmica je bila teška').language).toBe('bs');
    // Words every standard uses, however often one data set had them, name none: "ne radi" and
    // "čekam" were more frequent in the (mostly negative) Serbian set.
    for (const text of ['Dobar dan, imam pitanje', 'Hvala puno!', 'Sad je sve isto kao i inače', 'Internet opet ne radi, čekam od jutra!']) {
      const a = analyze(text);
      expect(a.language, text).toBe('bcs-family');
      expect(a.languageConfidence, text).toBeLessThan(hr.languageConfidence);
    }
  });

  it('gives a Serbian post and its Cyrillic transliteration the same decisions (demo stream)', () => {
    const serbian = loadSample(DEFAULT_SAMPLE).filter((i) => i.lang === 'sr' && i.script === 'latin');
    expect(serbian.length).toBeGreaterThan(20);
    for (const item of serbian) {
      const a = analyze(item.text);
      const b = analyze(latinToCyrillic(item.text));
      expect({ neg: b.negative, c: b.isComplaint, cats: b.categories, s: b.sentiment }, item.text).toEqual({
        neg: a.negative,
        c: a.isComplaint,
        cats: a.categories,
        s: a.sentiment,
      });
    }
  });

  it('is deterministic', () => {
    const text = 'Paket nije stigao već dvije sedmice ba, niko se ne javlja 😡';
    expect(analyze(text)).toEqual(analyze(text));
  });
});
