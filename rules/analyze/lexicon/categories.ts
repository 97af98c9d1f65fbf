// biome-ignore-all format: word tables read best packed, many words to a line
/**
 * What each complaint category sounds like, in English and in Croatian/Serbian/Bosnian. Entries are
 * written naturally; normalization and stemming at load make them match inflections, Cyrillic and
 * missing diacritics. Multi-word entries must appear as consecutive words.
 */
export const CATEGORIES = [
  'broken',
  'billing',
  'delivery',
  'waiting',
  'staff',
  'churn',
  'refund',
  'legal',
  'safety',
  'praise',
  'question',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** "kasni dva / tri … sata, dana": late by a count (the stem of "kasni" alone is also "kasnije", later). */
const LATE_BY = ['dva', 'dvije', 'dve', 'tri', 'četiri', 'pet', 'šest', 'sedam', 'osam', 'deset', 'sat', 'mjesec', 'mesec', 'tjedan', 'tjedna', 'nedelju', 'sedmicu', 'dan']
  .map((n) => `kasni ${n}`);

/** A late parcel is both a delivery problem and a wait. */
const LATE_PARCEL = ['paket kasni', 'kasni paket', 'dostava kasni', 'kasni dostava', 'narudžba kasni', 'kasni narudžba',
  'porudžbina kasni', 'kasni porudžbina', 'pošiljka kasni', 'kasni pošiljka', 'isporuka kasni', 'kasni isporuka'];

export const CATEGORY_TERMS: Record<Exclude<Category, 'question'>, { en: string[]; bcs: string[] }> = {
  broken: {
    en: ['not working', "doesn't work", 'doesnt work', 'does not work', "isn't working", 'stopped working', 'broken',
      'broke', 'outage', 'is down', 'down again', 'no signal', 'no internet', 'no service', 'crash', 'crashed', 'crashes',
      'keeps crashing', 'error', 'bug', 'glitch', 'faulty', 'defective', 'dead on arrival', 'won’t turn on',
      "won't turn on", 'wont turn on', 'cant log in', "can't log in", 'cannot log in', 'cant login', "can't login",
      'failed', 'fails', 'not loading', 'wont load', "won't load", 'offline', 'malfunction', 'damaged', 'cracked',
      'stopped', 'disconnect', 'disconnected', 'keeps dropping', 'no wifi', 'app is down', 'site is down',
      'without internet', 'without power', 'without signal', 'without service', 'line is dead', 'line dead',
      'landline dead', 'phone is dead', "can't call", 'cant call', "won't pair", 'wont pair', "won't connect", 'wont connect',
      // A cancellation the company made is a service failure, not the customer leaving (churn's "cancel").
      'cancelled my flight', 'cancelled our flight', 'cancelled flight', 'cancelled flights', 'flight cancelled',
      'flight was cancelled', 'flight got cancelled', 'flight has been cancelled', 'cancelled my train',
      'train cancelled', 'cancelled my appointment', 'appointment cancelled', 'having issues', 'having problems',
      'problem with', 'problems with', 'issue with', 'issues with', 'keeps resetting', 'keeps restarting', 'keeps rebooting',
      'something wrong with', 'unusable', "can't check in", 'cant check in', 'cannot check in', 'unable to check in', 'unable to',
      'not able to', "can't access", 'cant access', 'cannot access', "won't let me", 'wont let me', 'never loads', 'having trouble',
      'messed up', 'screwed up', 'screw up', 'stranded', 'overbooked', 'diverted', 'mechanical', 'equipment failure',
      'maintenance issue', 'had to rebook', 'rebooked me'],
    bcs: ['ne radi', 'ne rade', 'ne funkcioniše', 'ne funkcionira', 'ne pali', 'ne puni', 'ne učitava', 'pokvaren',
      'pokvario', 'pokvarila', 'pokvarilo', 'kvar', 'neispravan', 'neispravno', 'greška', 'nema signala', 'nema interneta',
      'nema mreže', 'nema struje', 'nema vode', 'pao sistem', 'pao sustav', 'ne mogu se prijaviti', 'ne mogu se ulogovati',
      'ne mogu ući', 'puca veza', 'prekid signala', 'prekid interneta', 'prekid struje', 'stalno prekida', 'prekida se',
      'prekida mi', 'prekinuta linija', 'prekinut poziv', 'prekinula se veza', 'prekinuta veza', 'smetnje', 'blokiran račun', 'blokirana kartica', 'blokirali su mi', 'blokirali ste mi',
      'kartica mi je blokirana', 'blokirana mi je kartica', 'račun mi je blokiran', 'blokiran mi je račun', 'zablokirao se',
      'zablokirala se', 'blokira se', 'crko', 'crkao', 'crkla',
      'oštećen', 'oštećen', 'razbijen', 'slomljen', 'slomio', 'puklo', 'pukao', 'opet ne radi', 'aplikacija ne radi',
      'internet ne radi', 'mreža pala', 'pala mreža', 'bug', 'ruši se', 'se ruši', 'zeza', 'telefon šuti', 'linija šuti',
      'se sam gasi', 'sam se gasi', 'se prekida', 'stalno blokira', 'se stalno blokira', 'stalno se blokira',
      'nemam internet', 'nemam interneta', 'nemam signal', 'nemam signala', 'nemam struju', 'nemam struje',
      'nemam vodu', 'nemam vode', 'nemamo internet', 'nemamo struju', 'bez interneta', 'bez signala', 'bez struje',
      'bez vode', 'bez mreže', 'bez telefona', 'bez televizije', 'imam problem', 'imam problema',
      'problem sa', 'problem s', 'problemi sa', 'problemi s', 'stalno se resetuje', 'stalno se resetira',
      'resetuje se', 'resetira se', 'resetirala sam', 'resetirao sam', 'resetovala sam', 'resetovao sam', 'stalno se gasi',
      'se gasi', 'gasi se', 'stalno pada', 'stalno puca', 'internet pada', 'pada internet', 'pada signal', 'pada veza', 'ne radi kako treba', 'otkazan let', 'otkazali let', 'otkazali su let', 'otkazali su mi let', 'otkazali nam let', 'let je otkazan',
      'let otkazan', 'otkazan termin', 'otkazali su mi termin', 'otkazan vlak', 'otkazan voz',
      // Appliances and devices breaking down, in the verbs customers use.
      'ne hladi', 'ne hladi više', 'ne grije', 'ne greje', 'ne pere', 'ne suši', 'ne peče', 'ne upali', 'ne pali se', 'neće upaliti',
      'neće da upali', 'neće se upaliti', 'curi', 'cure', 'procurio', 'procurila', 'kaplje', 'puca', 'pukla', 'puknuo', 'crkla je',
      'crkao je', 'crko je', 'zeza me', 'zeza stalno', 'ne hvata signal', 'ne hvata mrežu', 'ne prima poruke', 'ne šalje poruke',
      'ne štampa', 'ne ispisuje', 'steklo se', 'zaglavio', 'zaglavila', 'ne reagira', 'ne reaguje', 'ne odgovara na dodir'],
  },
  billing: {
    en: ['charged', 'overcharged', 'charged twice', 'double charged', 'bill', 'billing', 'invoice', 'fee', 'fees',
      'hidden fee', 'hidden fees', 'extra charge', 'extra charges', 'surcharge', 'price increase', 'price went up',
      'subscription', 'payment', 'paid', 'pay twice', 'deducted', 'debited', 'ripoff', 'rip off', 'ripped off', 'overpriced',
      'too expensive', 'money taken', 'card was charged', 'never activated', 'never ordered', "didn't order",
      'didnt order', 'never signed up', 'payment reminder', 'late fee', 'late fees', 'late charge', 'late payment'],
    bcs: ['račun', 'računu', 'naplata', 'naplatili', 'naplaćeno', 'naplaćuju', 'dvaput naplatili', 'dva puta naplatili',
      'dodatni trošak', 'dodatne troškove', 'skriveni troškovi', 'skrivene troškove', 'naknada', 'naknadu', 'pretplata',
      'pretplatu', 'povećali cijenu', 'povećali cenu', 'digli cijenu', 'digli cenu', 'cijena je porasla',
      'cena je porasla', 'veća cijena', 'veća cena', 'skuplje', 'poskupljenje', 'poskupili', 'preskupo', 'skinuli s kartice', 'skinuli sa kartice',
      'skinuli novac', 'skinuli pare', 'skinuli ste mi', 'skinuli su mi', 'naplatili ste mi', 'naplatili su mi', 'uplatio sam', 'uplatila sam', 'uplata nije', 'uplatu nije', 'platio sam',
      'platila sam', 'platili smo', 'mjesečna rata', 'mesečna rata', 'mjesečnu ratu', 'mesečnu ratu', 'rata kredita',
      'ratu kredita',
      'zaduženje', 'zadužili', 'faktura', 'iznos', 'prevara', 'lopovi', 'pljačka', 'dodatno naplatili', 'troškovi',
      // A rise stated as a fact, without a complaint word.
      'plaćam više', 'račun je veći', 'račun mi je veći', 'veći račun',
      'duplo veći', 'dvostruko veći', 'bez obavijesti', 'bez obaveštenja', 'nitko me nije obavijestio', 'niko me nije obavijestio',
      'niko me nije obavestio', 'nitko nas nije obavijestio', 'niko nas nije obavestio'],
  },
  delivery: {
    en: ['delivery', 'delivered', 'shipping', 'shipped', 'shipment', 'package', 'parcel', 'order', 'tracking',
      'never arrived', 'not arrived', "hasn't arrived", 'hasnt arrived', 'still not here', 'lost package', 'courier',
      'return', 'returns', 'returned', 'exchange', 'wrong size', 'wrong item', 'wrong order', 'wrong colour', 'wrong color', 'sent the wrong',
      'sent me the wrong', 'missing item', 'damaged box',
      'dispatch', 'dispatched', 'arrive', 'arrived', 'lost luggage', 'lost bag', 'baggage', 'luggage', 'lost my bag', 'lost our bag',
      'missing bag', 'bag never', 'still no bag', 'where is my bag', 'my bag is still', "bag didn't make", 'bag didnt make', 'bag tag',
      'suitcase', 'delayed bag', 'baggage claim'],
    // "Paket" is as often a plan ("koji paket", "cijena paketa") as a parcel: only phrases about a parcel.
    bcs: ['dostava', 'dostave', 'dostavu', 'isporuka', 'isporuku', 'paket nije stigao', 'paket još nije stigao',
      ...LATE_PARCEL, 'čekam paket', 'čekam pošiljku', 'čekam narudžbu', 'čekam porudžbinu', 'čekam dostavu', 'gdje je moj paket', 'gde je moj paket', 'gdje mi je paket', 'gde mi je paket',
      'izgubljen paket', 'izgubili paket', 'oštećen paket', 'paket je oštećen', 'trebao stići', 'trebala stići',
      'trebalo je stići', 'trebao je stići', 'nije dostavljen', 'nije isporučen', 'pošiljka', 'pošiljku', 'narudžba',
      'narudžbu', 'porudžbina', 'porudžbinu', 'naručio', 'naručila', 'poručio', 'poručila', 'kurirska', 'kurir nije',
      'kurir ne', 'kurir nikad', 'čekam kurira',
      'nije stigao', 'nije stigla', 'nije stiglo', 'još nije stigao', 'nije dostavljeno', 'praćenje pošiljke', 'povrat',
      'vratiti robu', 'vratiti proizvod', 'vratiti artikl', 'vratiti paket', 'vraćanje robe', 'vraćanje proizvoda',
      'zamjena', 'zamena', 'zamijeniti', 'zameniti', 'pogrešna veličina', 'pogrešnu veličinu', 'broj manji', 'broj veći',
      'pogrešan broj', 'pogrešnu narudžbu', 'pogrešnu boju', 'poslali pogrešan', 'poslali ste pogrešan',
      'poslali ste mi pogrešan', 'poslali su mi pogrešan', 'pogrešan artikl', 'pogrešan proizvod', 'reklamacija', 'reklamaciju',
      'stigao oštećen', 'stiglo oštećeno', 'prtljag', 'prtljaga', 'kofer'],
  },
  waiting: {
    en: ['waiting', 'still waiting', 'waited', 'on hold', 'hours on hold', 'no response', 'no reply', 'no answer',
      'nobody answers', 'no one answers', 'ignored', 'ignoring', 'ignore', 'for days', 'for weeks', 'still no', 'still nothing',
      'yet to hear', 'never heard back', 'no update', 'any update', 'how long', 'chasing', 'third time', 'again and again',
      'queue', 'wait time', 'been waiting', 'delayed', 'delay', 'late', 'for hours', 'hours later', "haven't heard back",
      'havent heard back', 'not heard back', "haven't heard from", 'no one is answering', 'nobody is answering', 'no one answering',
      'no one picks up', 'nobody picks up', 'not picking up', 'trying to get through', "can't get through", 'cant get through',
      "couldn't get through", 'no call back', 'no callback', 'never called back', 'never called me back', 'never got back', 'awaiting',
      'been trying', "don't even respond", 'dont even respond', 'never responded', 'never replied', 'no one responds', 'nobody responds',
      'on the tarmac', 'still on the ground', 'missed connection', 'missed my connection', 'miss my connection', 'long line',
      'in line for', 'waiting in line', 'line is', 'still stuck', 'stuck in', 'stuck at', 'stuck on'],
    bcs: ['čekam', 'čekamo', 'čekanje', 'čekao', 'čekala', 'čekali', 'još čekam', 'i dalje čekam', 'na čekanju',
      'niko ne odgovara', 'nitko ne odgovara', 'niko se ne javlja', 'nitko se ne javlja', 'nitko ne diže slušalicu',
      'niko ne diže slušalicu', 'ne dižete slušalicu', 'treći put zovem', 'treći put pišem', 'po treći put',
      'već treći put', 'tko zna koji put', 'ko zna koji put', 'ne javljate se', 'poklopili su mi', 'spustili su mi slušalicu', 'ne javljate', 'ne javljaju',
      'ne odgovarate', 'ne odgovaraju', 'bez odgovora', 'nema odgovora', 'ignorišete', 'ignorirate', 'ignorišu', 'ignoriraju',
      'već danima', 'danima čekam', 'već tjednima', 'već nedeljama', 'već sedmicama', 'već mjesecima', 'već mesecima',
      'satima čekam', 'već sat vremena', 'trebao je doći', 'trebao doći', 'trebala je doći', 'trebalo je da dođe',
      'nije došao', 'nije došla', 'nikad nije došao', 'niko ne zove', 'nitko ne zove', 'već pola sata', 'već dva dana', 'već tri dana', 'već dvije sedmice',
      'već dve nedelje', 'već dva tjedna',
      // Not "kasni" alone: its stem is also "kasnije" (later) and "kasno"; not "zovem" alone, nor "još uvijek".
      'treći put', 'po treći put', 'opet zovem', 'zovem vas', 'zvao sam', 'zvala sam', 'zvao sam vas', 'zvala sam vas',
      'opet kasni', 'stalno kasni', 'kasni već', 'kasni danima', 'kasni satima', ...LATE_BY, 'let kasni', 'vlak kasni',
      ...LATE_PARCEL, 'voz kasni', 'autobus kasni', 'opet kasnite', 'stalno kasnite', 'uvijek kasnite', 'uvek kasnite',
      'kašnjenje', 'dokle', 'koliko još', 'još uvijek nema', 'još uvek nema', 'još uvijek nije', 'još uvek nije',
      'još uvijek ne', 'još uvek ne', 'red čekanja'],
  },
  staff: {
    en: ['rude', 'rudely', 'unprofessional', 'attitude', 'staff', 'employee', 'agent', 'rep', 'representative', 'manager',
      'cashier', 'driver', 'crew', 'flight attendant', 'hung up', 'hung up on me', 'yelled', 'shouted', 'laughed at',
      'condescending', 'unhelpful', 'incompetent', 'arrogant', 'disrespectful', 'blamed me', 'laughed when', 'customer service', 'support team',
      'nobody could help', 'no one could help', 'useless support', 'lack of help', 'no help', 'canned response', 'copy paste',
      'no one wants to talk', "didn't help", 'did not help', 'not helpful', 'no assistance', 'poor communication', 'csr',
      // The service itself judged ("terrible support"): how the customer was treated, with or without a person named.
      'terrible support', 'awful support', 'horrible support', 'bad support', 'worst support', 'poor support',
      'terrible service', 'awful service', 'horrible service', 'bad service', 'worst service', 'poor service',
      'appalling service', 'shocking service', 'dreadful service'],
    bcs: ['bezobrazan', 'bezobrazna', 'bezobrazni', 'bezobrazno', 'nepristojan', 'nepristojna', 'neljubazan', 'neljubazna',
      // How staff behaved, not who they are: "radnici", "vozač", "podrška" are as often news or thanks.
      'neljubazni', 'drska', 'drski', 'bahat', 'bahata', 'spustila slušalicu', 'spustio slušalicu', 'vikala', 'vikao',
      'dernjala', 'ismijavala', 'nekulturan', 'nekulturna', 'nesposobni', 'neprofesionalno', 'korisnička podrška',
      'korisnicka podrska', 'služba za korisnike', 'tehnička podrška', 'call centar', 'pozivni centar',
      // The stemmer keeps the locative's k → c ("u podršci"): those forms are listed.
      'korisničkoj podršci', 'tehničkoj podršci', 'korisničkoj službi', 'tehničkoj službi',
      'užasna podrška', 'loša podrška', 'očajna podrška', 'grozna podrška', 'katastrofalna podrška', 'najgora podrška',
      'užasna usluga', 'loša usluga', 'očajna usluga', 'grozna usluga', 'katastrofalna usluga', 'najgora usluga',
      'sramotna usluga', 'katastrofa od usluge', 'užas od usluge',
      // The people a customer meets, named by role: a topic only, so a negative post about one is a staff complaint.
      'šalterka', 'šalteruša', 'šalterica', 'službenik', 'službenica', 'službenici', 'serviser', 'serviserka', 'serviseri',
      'dostavljač', 'dostavljačica', 'dostavljači', 'kurir', 'kurirka', 'kuriri', 'operaterka', 'operater u pozivnom centru', 'operater na telefonu',
      'agent', 'agentica', 'agentkinja', 'prodavač', 'prodavačica', 'prodavačice', 'blagajnik', 'blagajnica', 'monter', 'instalater',
      'tehničar', 'tehničarka', 'poslovođa', 'šef smjene', 'šef smene'],
  },
  churn: {
    // The customer cancelling, not an airline cancelling a flight ("cancelled" shares the stem);
    // "terminate" only with its object ("terminal" shares the stem).
    en: ['cancel my', 'cancelling my', 'canceling my', 'want to cancel', 'going to cancel', 'gonna cancel', 'will cancel',
      "i'll cancel", 'how do i cancel', 'how to cancel', "i'm cancelling", 'im cancelling', 'i am cancelling',
      'cancelling today', 'canceling today', 'cancelling it', 'cancel everything', 'cancelling everything', 'close my account', 'closing my account',
      'switching to', 'switch to', 'leave you', 'done with you', 'never again',
      'never using', 'never use', 'never fly', 'never flying', 'never buying', 'never buy', 'unsubscribe',
      'switching providers', 'switch providers', 'considering switching', 'thinking of switching',
      'thinking about switching', 'change provider', 'changing provider', 'find another provider',
      'looking for another provider', 'go elsewhere',
      'going elsewhere', 'business elsewhere',
      'terminate my', 'terminating my', 'terminate the contract', 'end my contract', 'port my number', 'taking my business', 'lost a customer',
      'former customer'],
    // First person and contracts only: "ukinuli", "raskidaju", "otkazali" are what others did.
    bcs: ['otkazujem', 'otkazat ću', 'otkazaću', 'želim otkazati', 'hoću otkazati', 'moram otkazati', 'mijenjam operatera',
      'menjam operatera', 'promijenit ću operatera', 'promeniću operatera', 'razmišljam o prelasku', 'drugog operatera',
      'raskidam ugovor', 'raskinuti ugovor', 'raskinut ću ugovor', 'raskinuću ugovor', 'raskid ugovora',
      'prelazim kod konkurencije', 'prelazim kod', 'prelazim u', 'prelazim na', 'idem kod konkurencije',
      'idem kod drugih', 'nikad više', 'nikada više', 'više nikad', 'više nikada', 'ugasit ću', 'ugasiću',
      'zatvaram račun', 'ukidam pretplatu', 'ukidam paket', 'prenosim broj', 'prenijeti broj', 'preneti broj',
      'izgubili ste kupca', 'izgubili ste korisnika', 'bivši korisnik', 'bivši kupac'],
  },
  refund: {
    en: ['refund', 'refunds', 'refunded', 'money back', 'reimburse', 'reimbursement', 'compensation', 'chargeback',
      'credit back', 'give me my money', 'want my money', 'return my money'],
    bcs: ['povrat novca', 'povrat novaca', 'povrat sredstava', 'vratite novac', 'vratite mi novac', 'vratite pare',
      'vratite mi pare', 'vraćanje novca', 'refundacija', 'refundaciju', 'refund', 'naknada štete', 'odšteta', 'odštetu',
      'kompenzacija', 'kompenzaciju', 'hoću svoj novac', 'hoću svoje pare', 'moj novac', 'moje pare'],
  },
  legal: {
    en: ['lawyer', 'attorney', 'sue', 'suing', 'lawsuit', 'legal action', 'court', 'small claims', 'consumer protection',
      'ombudsman', 'regulator', 'fcc', 'ftc', 'trading standards', 'report you', 'better business bureau', 'bbb'],
    // Not "prijava" / "prijaviti" alone: that is also signing up, logging in and reporting a fault;
    // not "sud" alone: courts are in the news every day.
    bcs: ['advokat', 'odvjetnik', 'odvetnik', 'tužba', 'tužbu', 'tužiti', 'tužit ću', 'tužiću', 'na sud', 'na sudu',
      'sudskim putem', 'sudski postupak', 'zaštita potrošača', 'zaštitu potrošača', 'inspekcija', 'inspekciju',
      'tržišna inspekcija', 'prijavit ću vas', 'prijaviću vas', 'prijaviti vas', 'prijavio sam vas', 'prijavila sam vas',
      'prijava inspekciji', 'prijavu inspekciji', 'kaznenu prijavu', 'krivičnu prijavu', 'ombudsman', 'pravobranitelj',
      'hakom', 'ratel', 'regulator', 'pravni put'],
  },
  safety: {
    // Phrases where the single word is mostly something else: "sick of", "shocking", "fired",
    // "hospitality", "expired card".
    en: ['caught fire', 'catch fire', 'catches fire', 'on fire', 'fire hazard', 'in flames', 'smoke', 'burning smell',
      'got burned', 'burned my hand', 'burned myself', 'exploded', 'explode', 'electric shock', 'got a shock', 'injured',
      'injury', 'got hurt', 'was hurt', 'hurt myself', 'in hospital', 'in the hospital', 'to hospital', 'to the hospital',
      'was hospitalized', 'was hospitalised', 'poison', 'poisoning', 'food poisoning', 'allergic', 'allergy', 'dangerous', 'unsafe',
      'hazard', 'choking', 'got sick', 'made me sick', 'made us sick', 'fell ill', 'mold', 'mould', 'expired food',
      'past its expiry', 'out of date food', 'glass in'],
    bcs: ['požar', 'vatra', 'dim', 'dimi', 'se istopio', 'istopio se', 'se istopila', 'zapalio utičnicu', 'izgorjeti',
      'izgoreti', 'zapalio se', 'zapalila se', 'zapalilo se', 'se zapalio', 'se zapalila', 'se zapalilo', 'zapalio mi se', 'izgorio', 'izgorjelo', 'izgorelo', 'eksplodirao',
      'eksplodiralo', 'strujni udar', 'udar struje', 'ozlijeđen', 'povređen', 'povrijeđen', 'ozljeda', 'povreda', 'bolnica',
      // Not "hitna", "plijesan", "zapaliti" alone: their stems are also "hitno" (urgently), "plesna" (dance), lighting a candle.
      'bolnicu', 'hitna pomoć', 'hitnu pomoć', 'u hitnoj', 'trovanje', 'otrovao', 'otrovali', 'alergija', 'alergijska',
      'opasno', 'opasan', 'opasnost', 'buđ', 'ima plijesni', 'puno plijesni', 'istekao rok', 'istekao rok trajanja', 'pokvarena hrana', 'crv',
      'staklo u',
      // Hazards described without accident words.
      'iskri', 'iskrilo', 'varniči', 'varnici', 'miriše na plastiku', 'smrdi na plastiku', 'miriše na paljevinu', 'smrdi na paljevinu',
      'miris paljevine', 'smrdi na gas', 'miriše na plin', 'curi plin', 'curi gas', 'pregrijava se', 'pregreva se', 'zagrijava se', 'greje se previše',
      'istopio', 'istopila', 'nadimala se', 'napuhnula se baterija', 'naduvala se baterija', 'udara struja', 'trese struja', 'kratki spoj'],
  },
  praise: {
    en: ['thank you', 'thanks', 'love', 'awesome', 'amazing', 'great service', 'excellent', 'brilliant', 'kudos',
      'shoutout', 'shout out', 'best', 'well done', 'impressed', 'appreciate', 'fantastic', 'perfect', 'helpful'],
    bcs: ['hvala', 'zahvaljujem', 'bravo', 'svaka čast', 'odlično', 'odličan', 'izvrsno', 'sjajno', 'super', 'pohvala',
      'pohvale', 'preporučujem', 'preporuka', 'najbolji', 'najbolja', 'oduševljen', 'oduševljena', 'zadovoljan',
      'zadovoljna', 'ljubazni', 'ljubazna', 'ljubazan', 'profesionalno', 'brzo riješeno', 'brzo rešeno', 'volim vas'],
  },
};

/**
 * Phrases that name no topic although a word in them would ("nema greške" is "no problem", not a
 * fault): matched first, as the longer phrase, and then ignored.
 */
export const NO_TOPIC: { en: string[]; bcs: string[] } = {
  en: ['no problem', 'no problems', 'not a problem', 'no issue', 'no issues', 'not an issue', 'no error', 'without problems', 'without any problems'],
  bcs: ['nema greške', 'bez greške', 'bez ikakve greške', 'nema problema', 'bez problema', 'bez ikakvih problema', 'nije problem', 'nikakav problem', 'nikakvih problema',
    // A number moved *to* the brand is a new customer, not one leaving.
    'od drugog operatera', 'sa drugog operatera', 's drugog operatera', 'iz drugog operatera', 'od drugih operatera',
    'prijenos broja k vama', 'prijenos broja kod vas', 'prijenos broja u vašu mrežu', 'prenos broja kod vas', 'prenos broja k vama',
    'prenijeti broj kod vas', 'prenijeti broj k vama', 'preneti broj kod vas', 'preneti broj k vama', 'prenosim broj kod vas', 'prenosim broj k vama'],
};

/**
 * An all-clear that makes fire and accident words news, not a customer's hazard ("požar je ugašen,
 * nitko nije ozlijeđen"): a post holding one names no safety topic.
 */
export const ALL_CLEAR: { en: string[]; bcs: string[] } = {
  en: ['no one was hurt', 'nobody was hurt', 'no one was injured', 'nobody was injured', 'no injuries', 'fire was put out', 'fire is out', 'fire was extinguished', 'under control'],
  bcs: ['nitko nije ozlijeđen', 'niko nije povrijeđen', 'niko nije povređen', 'nitko nije povrijeđen', 'nema ozlijeđenih', 'nema povrijeđenih', 'nema povređenih',
    'bez ozlijeđenih', 'bez povrijeđenih', 'bez povređenih', 'požar je ugašen', 'požar ugašen', 'vatra je ugašena', 'ugašen je', 'lokalizovan', 'lokaliziran', 'pod kontrolom'],
};
