// biome-ignore-all format: word tables read best packed, many words to a line
/**
 * Curated Croatian/Serbian/Bosnian sentiment terms, written as people write them (with diacritics,
 * ijekavian and ekavian forms). Normalization and stemming at load time make one entry cover
 * inflections, Cyrillic and text typed without diacritics. Weights: −4 (worst) … +4 (best).
 * Multi-word entries are phrases, matched as consecutive words.
 */
export const BCS_SENTIMENT: Array<[string, number]> = [
  // strongly negative
  ['užasno', -3], ['užasan', -3], ['užas', -3], ['katastrofa', -3], ['katastrofalno', -3], ['katastrofalan', -3],
  ['očajno', -3], ['očajan', -3], ['grozno', -3], ['grozan', -3], ['jadno', -2], ['jadan', -2], ['bijedno', -3],
  ['bedno', -3], ['sramota', -3], ['sramotno', -3], ['sramite', -3], ['bruka', -3], ['skandal', -3], ['skandalozno', -3],
  ['prevara', -3], ['prevaranti', -4], ['prevarant', -4], ['lopovi', -4], ['lopovluk', -4], ['pljačka', -3], ['krađa', -3],
  ['najgori', -4], ['najgore', -4], ['najgora', -4], ['smeće', -3], ['đubre', -3], ['govno', -3], ['sranje', -3],
  ['bezobrazno', -3], ['bezobrazan', -3], ['bezobrazluk', -3], ['drsko', -3], ['drski', -3], ['nepristojno', -3],
  ['nepristojan', -3], ['nekulturno', -3], ['nekulturan', -3], ['bahato', -3], ['bahat', -3], ['nesposobni', -3],
  ['nesposobnost', -3], ['neozbiljno', -2], ['neozbiljni', -2], ['neprofesionalno', -3], ['neprofesionalan', -3],
  ['mrzim', -3], ['mržnja', -3], ['gadi', -3], ['gadno', -3], ['odvratno', -3], ['odvratan', -3], ['bljak', -2],
  ['idioti', -3], ['kreteni', -3], ['debili', -3], ['glupost', -2], ['glupo', -2], ['glup', -2], ['glupi', -2],
  ['bijes', -3], ['bes', -3], ['bijesan', -3], ['besan', -3], ['ljut', -2], ['ljuta', -2], ['ljutit', -2], ['iznerviran', -2],
  ['nervira', -2], ['nerviraju', -2], ['živcira', -2], ['razočaran', -3], ['razočarana', -3], ['razočaranje', -3],
  ['razočarenje', -3], ['tužno', -2], ['tužan', -2], ['tuga', -2], ['žalosno', -2], ['nažalost', -1], ['nesreća', -2],
  ['problem', -2], ['problemi', -2], ['problematično', -2], ['kvar', -2], ['pokvaren', -2], ['pokvario', -2],
  ['neispravan', -2], ['neispravno', -2], ['greška', -2], ['pogreška', -2], ['loš', -2], ['loše', -2], ['lošije', -2],
  ['lose', -2], ['slab', -1], ['slabo', -1], ['sporo', -2], ['spor', -1], ['kasni', -2], ['kašnjenje', -2],
  ['zakasnio', -2], ['skupo', -2], ['skup', -1], ['preskupo', -3], ['zeznuli', -2], ['zajebali', -3], ['zajeb', -3],
  ['zajebancija', -2], ['jebote', -2], ['jebem', -3], ['pizda', -3], ['kurac', -3], ['bolest', -2], ['smrt', -3],
  ['umro', -3], ['poginuo', -3], ['rat', -2], ['napad', -2], ['strah', -2], ['bojim', -2], ['opasno', -2], ['opasan', -2],
  ['gubitak', -2], ['izgubio', -2], ['šteta', -2], ['kriza', -2], ['dosadno', -2], ['dosada', -2], ['umoran', -1],
  ['jad', -2], ['beda', -2], ['bijeda', -2], ['fuj', -2], ['uf', -1], ['joj', -1], ['jao', -2], ['kukavice', -2],
  ['laž', -3], ['lažu', -3], ['lažovi', -3], ['lažljivci', -3], ['prevarili', -3], ['prevario', -3], ['opljačkali', -3],
  ['ukrali', -3], ['ignorišu', -2], ['ignoriraju', -2], ['ignorisanje', -2], ['bezveze', -2], ['bez veze', -2],
  ['ne valja', -2], ['ništa ne valja', -3], ['nikad više', -3], ['nikada više', -3], ['ne radi', -2], ['ne rade', -2],
  ['ne funkcioniše', -2], ['ne funkcionira', -2], ['ne preporučujem', -3], ['ne preporučam', -3], ['ne preporucujem', -3],
  ['ne mogu vjerovati', -2], ['ne mogu verovati', -2], ['gubljenje vremena', -3], ['bacanje para', -3],
  ['bacanje novca', -3], ['nemoguće', -1], ['nikakav', -2], ['nikakva', -2], ['nikakvo', -2], ['dokle', -1],
  ['više ne', -1], ['ide na živce', -2], ['ide mi na živce', -2], ['idu mi na živce', -2], ['pakao', -3], ['muka', -2], ['muke', -2], ['haos', -2], ['kaos', -2], ['zbrka', -2], ['nered', -2],
  ['žalba', -2], ['žalim', -1], ['prigovor', -2], ['reklamacija', -1], ['nezadovoljan', -3], ['nezadovoljna', -3],
  ['nezadovoljstvo', -3], ['nepravda', -3], ['nepravedno', -3], ['neodgovorno', -3], ['neljubazan', -3],
  ['neljubazni', -3], ['neljubazno', -3], ['nemarno', -2], ['nemar', -2], ['uvreda', -3], ['uvredljivo', -3],
  ['vikala', -2], ['vikao', -2], ['urlao', -3], ['psovao', -3], ['otkazujem', -2], ['otkazati', -1],
  ['ne javljaju', -2], ['niko ne odgovara', -3], ['nitko ne odgovara', -3], ['ne odgovarate', -2], ['ne odgovaraju', -2],
  ['dosta mi je', -3], ['sit sam', -2], ['odbijen', -2], ['odbijena', -2], ['odbili', -2],
  // positive
  ['odlično', 3], ['odličan', 3], ['izvrsno', 3], ['izvrstan', 3], ['sjajno', 3], ['sjajan', 3], ['super', 3],
  ['predivno', 3], ['prekrasno', 3], ['divno', 3], ['divan', 3], ['fantastično', 3], ['fantastičan', 3], ['savršeno', 3],
  ['savršen', 3], ['genijalno', 3], ['bravo', 3], ['svaka čast', 3], ['najbolji', 3], ['najbolje', 3], ['najbolja', 3],
  ['hvala', 2], ['zahvaljujem', 2], ['zahvalan', 2], ['zahvalna', 2], ['dobro', 2], ['dobar', 2], ['dobra', 2],
  ['lijepo', 2], ['lepo', 2], ['lijep', 2], ['lep', 2], ['lijepa', 2], ['lepa', 2], ['zadovoljan', 3], ['zadovoljna', 3],
  ['zadovoljstvo', 3], ['preporučujem', 3], ['preporučam', 3], ['preporuka', 3], ['volim', 3], ['obožavam', 3],
  ['ljubav', 3], ['sretan', 3], ['sretna', 3], ['srećan', 3], ['srećna', 3], ['sreća', 2], ['radost', 3], ['veselje', 2],
  ['uživam', 3], ['uživanje', 3], ['ljubazno', 3], ['ljubazni', 3], ['ljubazan', 3], ['ljubazna', 3], ['brzo', 1],
  ['brza', 1], ['efikasno', 2], ['profesionalno', 2], ['profesionalni', 2], ['pohvala', 3], ['pohvale', 3],
  ['čestitam', 3], ['čestitke', 3], ['uspjeh', 2], ['uspeh', 2], ['uspješno', 2], ['uspešno', 2], ['pobjeda', 2],
  ['pobeda', 2], ['pobijedili', 2], ['pobedili', 2], ['lijepo od vas', 3], ['lepo od vas', 3], ['riješeno', 2],
  ['rešeno', 2], ['riješili', 2], ['rešili', 2], ['cool', 2], ['top', 2], ['jedva čekam', 2], ['wow', 2], ['ljepota', 3],
  ['lepota', 3], ['prelijepo', 3], ['prelepo', 3], ['mir', 1], ['zdravlje', 1], ['zagrljaj', 2], ['poljubac', 2],
  ['smijeh', 2], ['smeh', 2], ['haha', 2], ['hahaha', 2], ['hehe', 1], ['ok', 1], ['uredno', 2], ['korektno', 2],
  ['pozitivno', 2], ['pozitivan', 2], ['drago mi je', 3], ['oduševljen', 3], ['oduševljena', 3], ['ponosan', 3], ['ponosna', 3],
];

/**
 * CroSentiLex's gold labels come from news, where "račun" (a bill), "kredit" or "trebati" lean
 * negative and "imati", "dobiti", "vratiti" positive. In a customer's post they are the topic or
 * plain grammar, not a feeling: left out of the sentiment lexicon (the categories still read them).
 */
export const BCS_NEUTRAL_IN_CARE = ['račun', 'plaćati', 'kredit', 'kamata', 'obveza', 'trošak', 'trebati', 'morati',
  'imati', 'moći', 'znati', 'dobiti', 'naći', 'davati', 'postojati', 'voditi', 'vratiti', 'stići', 'proći', 'red',
  'tim', 'star', 'nov', 'pun', 'zadnji', 'posljednji', 'dug', 'plaća', 'glazba', 'muzika'];

/** Words that widen the next sentiment word. */
export const BCS_INTENSIFIERS = [
  'jako', 'vrlo', 'veoma', 'baš', 'stvarno', 'zaista', 'previše', 'strašno', 'užasno', 'totalno', 'potpuno',
  'skroz', 'najviše', 'toliko', 'tako', 'mnogo', 'puno', 'izuzetno', 'krajnje', 'apsolutno', 'opet', 'ponovno', 'ponovo',
];

/** Negators: flip the sentiment of the next words up to a break. */
export const BCS_NEGATORS = ['ne', 'ni', 'nije', 'nisu', 'nisam', 'nisi', 'nismo', 'niste', 'nema', 'nemam', 'nemamo',
  'nemate', 'nemaju', 'nikad', 'nikada', 'nikako', 'nimalo', 'neće', 'nećete', 'nećemo', 'nećeš', 'nećemo', 'bez'];

export const BCS_CONTRAST = ['ali', 'međutim', 'no', 'nego', 'ipak', 'mada', 'iako'];

export const BCS_QUESTION_WORDS = ['zašto', 'kada', 'kad', 'kako', 'gdje', 'gde', 'šta', 'što', 'koliko', 'da li',
  'jel', 'jeli', 'je li', 'jesu li', 'ima li', 'može li', 'moze li', 'možete li', 'kome', 'koji', 'koja'];

/**
 * Openers of a request for information ("Kako mogu…", "Imate li…"): a question, not a complaint,
 * unless the post also reads negative or names a severe problem.
 */
export const BCS_REQUESTS = ['kako mogu', 'kako da', 'kako se', 'gdje mogu', 'gde mogu', 'mogu li', 'da li mogu',
  'da li je moguće', 'je li moguće', 'jel moguće', 'može li se', 'koliko košta', 'koliko koštaju', 'koja je cijena',
  'koja je cena', 'kada počinje', 'kada kreće', 'imate li', 'da li imate', 'postoji li', 'da li postoji', 'zanima me',
  'zanima nas', 'radite li', 'da li radite', 'gdje se nalazi', 'gde se nalazi', 'trebam informaciju', 'trebala bih informaciju'];

/** A problem solved, as a thanking customer says it ("tehničar je sve riješio"). */
export const BCS_RESOLVED = ['riješili', 'riješio', 'riješila', 'riješeno', 'rešili', 'rešio', 'rešila', 'rešeno',
  'popravili', 'popravio', 'popravila', 'sredili', 'sredio', 'sredila', 'pomogli', 'pomogao', 'pomogla'];
