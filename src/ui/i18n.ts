/** The inbox in English, Croatian and Serbian (Latin): the users in the seeds' region. */
export const LOCALES = ['en', 'hr', 'sr'] as const;
export type Locale = (typeof LOCALES)[number];

const T = {
  inbox: { en: 'Inbox', hr: 'Pristigla pošta', sr: 'Prijemno sanduče' },
  dashboard: { en: 'Dashboard', hr: 'Pregled', sr: 'Pregled' },
  streams: { en: 'Streams', hr: 'Izvori', sr: 'Izvori' },
  rules: { en: 'Rules', hr: 'Pravila', sr: 'Pravila' },
  alerts: { en: 'Alerts', hr: 'Upozorenja', sr: 'Upozorenja' },
  acknowledge: { en: 'Acknowledge', hr: 'Potvrdi', sr: 'Potvrdi' },
  noAlerts: { en: 'No alerts.', hr: 'Nema upozorenja.', sr: 'Nema upozorenja.' },
  logout: { en: 'Log out', hr: 'Odjava', sr: 'Odjava' },
  login: { en: 'Log in', hr: 'Prijava', sr: 'Prijava' },
  email: { en: 'E-mail', hr: 'E-pošta', sr: 'E-pošta' },
  password: { en: 'Password', hr: 'Lozinka', sr: 'Lozinka' },
  wrongLogin: { en: 'Wrong e-mail or password.', hr: 'Pogrešna e-pošta ili lozinka.', sr: 'Pogrešna e-pošta ili lozinka.' },
  tooMany: {
    en: 'Too many failed attempts; try again in {seconds} s.',
    hr: 'Previše neuspjelih pokušaja; pokušajte ponovno za {seconds} s.',
    sr: 'Previše neuspelih pokušaja; pokušajte ponovo za {seconds} s.',
  },
  status: { en: 'Status', hr: 'Status', sr: 'Status' },
  language: { en: 'Language', hr: 'Jezik', sr: 'Jezik' },
  platform: { en: 'Platform', hr: 'Platforma', sr: 'Platforma' },
  sla: { en: 'SLA', hr: 'Rok', sr: 'Rok' },
  any: { en: 'any', hr: 'sve', sr: 'sve' },
  mine: { en: 'mine', hr: 'moji', sr: 'moji' },
  filter: { en: 'Filter', hr: 'Filtriraj', sr: 'Filtriraj' },
  // "N new cases — show", by plural form (Intl.PluralRules picks one in the browser).
  newCasesOne: { en: '{n} new case — show', hr: '{n} novi slučaj — prikaži', sr: '{n} novi slučaj — prikaži' },
  newCasesFew: { en: '{n} new cases — show', hr: '{n} nova slučaja — prikaži', sr: '{n} nova slučaja — prikaži' },
  newCasesOther: { en: '{n} new cases — show', hr: '{n} novih slučajeva — prikaži', sr: '{n} novih slučajeva — prikaži' },
  casesCount: { en: '{n} cases · press ? for keys', hr: '{n} slučajeva · ? za prečace', sr: '{n} slučajeva · ? za prečice' },
  priority: { en: 'Priority', hr: 'Prioritet', sr: 'Prioritet' },
  post: { en: 'Post', hr: 'Objava', sr: 'Objava' },
  why: { en: 'Why', hr: 'Zašto', sr: 'Zašto' },
  followers: { en: 'followers', hr: 'pratitelja', sr: 'pratilaca' },
  dueIn: { en: 'due in', hr: 'rok za', sr: 'rok za' },
  overdue: { en: 'overdue', hr: 'kasni', sr: 'kasni' },
  answered: { en: 'answered', hr: 'odgovoreno', sr: 'odgovoreno' },
  closedNoReply: { en: 'closed without a reply', hr: 'zatvoreno bez odgovora', sr: 'zatvoreno bez odgovora' },
  backToInbox: { en: '← Inbox', hr: '← Pristigla pošta', sr: '← Prijemno sanduče' },
  case: { en: 'Case', hr: 'Slučaj', sr: 'Slučaj' },
  gone: { en: 'post deleted', hr: 'objava obrisana', sr: 'objava obrisana' },
  wordsForgotten: {
    en: 'Deleted by its author: its words are no longer kept.',
    hr: 'Autor ju je obrisao: njezin se tekst više ne čuva.',
    sr: 'Autor ju je obrisao: njen tekst se više ne čuva.',
  },
  postGone: {
    en: "The customer's post is gone from the platform (deleted, or no longer visible to us): a public reply cannot reach it. Resolve the case, or reach them another way.",
    hr: 'Kupčeve objave više nema na platformi (obrisana je ili nam više nije vidljiva): javni odgovor do nje ne može doći. Zatvorite slučaj ili se javite drugim putem.',
    sr: 'Kupčeve objave više nema na platformi (obrisana je ili nam više nije vidljiva): javni odgovor do nje ne može da stigne. Zatvorite slučaj ili se javite drugim putem.',
  },
  alsoViewing: { en: 'Also looking at this now:', hr: 'Ovo upravo gleda i:', sr: 'Ovo upravo gleda i:' },
  thread: { en: 'Thread', hr: 'Razgovor', sr: 'Razgovor' },
  replyOn: { en: 'Reply on {p}', hr: 'Odgovor na {p}', sr: 'Odgovor na {p}' },
  claim: { en: 'Claim (c)', hr: 'Preuzmi (c)', sr: 'Preuzmi (c)' },
  templates: { en: 'Templates:', hr: 'Predlošci:', sr: 'Šabloni:' },
  yourReply: { en: 'Your reply (signed on sending)', hr: 'Vaš odgovor (potpis se dodaje pri slanju)', sr: 'Vaš odgovor (potpis se dodaje pri slanju)' },
  send: { en: 'Send reply (r)', hr: 'Pošalji odgovor (r)', sr: 'Pošalji odgovor (r)' },
  replies: { en: 'Replies', hr: 'Odgovori', sr: 'Odgovori' },
  sent: { en: 'Sent', hr: 'Poslano', sr: 'Poslato' },
  notSent: { en: 'Not sent:', hr: 'Nije poslano:', sr: 'Nije poslato:' },
  retry: { en: 'Retry', hr: 'Pokušaj ponovo', sr: 'Pokušaj ponovo' },
  resolve: { en: 'Resolve (e)', hr: 'Riješi (e)', sr: 'Reši (e)' },
  falseAlarm: { en: 'Not a complaint: false alarm', hr: 'Nije pritužba: lažna uzbuna', sr: 'Nije žalba: lažna uzbuna' },
  falseAlarmHint: {
    en: 'Resolves the case and counts it against the rules that flagged it (dashboard, rule backtests).',
    hr: 'Rješava slučaj i broji ga protiv pravila koja su ga označila (pregled, provjera pravila).',
    sr: 'Rešava slučaj i broji ga protiv pravila koja su ga označila (pregled, provera pravila).',
  },
  falseAlarmChip: { en: 'false alarm', hr: 'lažna uzbuna', sr: 'lažna uzbuna' },
  notices: { en: 'Known issues and promotions', hr: 'Poznati problemi i akcije', sr: 'Poznati problemi i akcije' },
  whyFlagged: { en: 'Why flagged', hr: 'Zašto je označeno', sr: 'Zašto je označeno' },
  modelReasons: { en: 'What the analyzer read', hr: 'Što je analizator pročitao', sr: 'Šta je analizator pročitao' },
  notes: { en: 'Notes', hr: 'Bilješke', sr: 'Beleške' },
  addNote: { en: 'Add a note (internal)', hr: 'Dodaj bilješku (interno)', sr: 'Dodaj belešku (interno)' },
  addNoteButton: { en: 'Add note', hr: 'Dodaj bilješku', sr: 'Dodaj belešku' },
  earlier: { en: 'Earlier cases from this customer', hr: 'Raniji slučajevi ovog korisnika', sr: 'Raniji slučajevi ovog korisnika' },
  history: { en: 'History', hr: 'Povijest', sr: 'Istorija' },
  keys: {
    en: 'Keys: j/k move · x choose · Enter open · c claim · r reply · e resolve · ? this help',
    hr: 'Tipke: j/k pomak · x odaberi · Enter otvori · c preuzmi · r odgovori · e riješi · ? pomoć',
    sr: 'Tasteri: j/k pomeranje · x odaberi · Enter otvori · c preuzmi · r odgovori · e reši · ? pomoć',
  },
  settings: { en: 'Language and time zone', hr: 'Jezik i vremenska zona', sr: 'Jezik i vremenska zona' },
  save: { en: 'Save', hr: 'Spremi', sr: 'Sačuvaj' },
  claimed: { en: 'Claimed: the case is yours.', hr: 'Preuzeto: slučaj je vaš.', sr: 'Preuzeto: slučaj je vaš.' },
  queued: {
    en: 'Reply queued; it goes out on the customer’s channel in a moment.',
    hr: 'Odgovor je u redu; za trenutak odlazi na kanal korisnika.',
    sr: 'Odgovor je u redu; za trenutak odlazi na kanal korisnika.',
  },
  resolved: { en: 'Resolved.', hr: 'Riješeno.', sr: 'Rešeno.' },
  resolvedFalseAlarm: { en: 'Resolved as a false alarm.', hr: 'Riješeno kao lažna uzbuna.', sr: 'Rešeno kao lažna uzbuna.' },
  noteAdded: { en: 'Note added.', hr: 'Bilješka dodana.', sr: 'Beleška dodata.' },
  sendingAgain: { en: 'Sending again.', hr: 'Šaljem ponovo.', sr: 'Šaljem ponovo.' },
  sendPrivately: {
    en: 'Send privately, to the customer’s inbox (possible until {until}, once)',
    hr: 'Pošalji privatno, u inbox korisnika (moguće do {until}, jednom)',
    sr: 'Pošalji privatno, u inbox korisnika (moguće do {until}, jednom)',
  },
  privateClosed: {
    en: 'A private reply was possible until {until}; now only a reply in the thread reaches the customer.',
    hr: 'Privatni odgovor bio je moguć do {until}; sada korisnika doseže samo odgovor u niti.',
    sr: 'Privatni odgovor bio je moguć do {until}; sada korisnika doseže samo odgovor u niti.',
  },
  privateChip: { en: 'private', hr: 'privatno', sr: 'privatno' },
  moderation: { en: 'On the platform', hr: 'Na platformi', sr: 'Na platformi' },
  moderationReason: { en: 'Why (kept in the history)', hr: 'Zašto (ostaje u povijesti)', sr: 'Zašto (ostaje u istoriji)' },
  hide: { en: 'Hide', hr: 'Sakrij', sr: 'Sakrij' },
  unhide: { en: 'Show again', hr: 'Ponovo prikaži', sr: 'Ponovo prikaži' },
  deletePost: { en: 'Delete', hr: 'Obriši', sr: 'Obriši' },
  moderationQueued: {
    en: 'Queued: odziv asks the platform in a moment.',
    hr: 'U redu: odziv za trenutak šalje zahtjev platformi.',
    sr: 'U redu: odziv za trenutak šalje zahtev platformi.',
  },
  byRule: { en: 'rule', hr: 'pravilo', sr: 'pravilo' },
  // Dashboard (marketing reads it too)
  flaggedPerHour: {
    en: 'Flagged posts per hour, by category (48 h)',
    hr: 'Označene objave po satu, po kategoriji (48 h)',
    sr: 'Označene objave po satu, po kategoriji (48 h)',
  },
  complaintsPerDay: { en: 'Complaints per day, by language (14 days)', hr: 'Pritužbe po danu, po jeziku (14 dana)', sr: 'Žalbe po danu, po jeziku (14 dana)' },
  flaggedPerPlatform: {
    en: 'Flagged posts per day, by platform (14 days)',
    hr: 'Označene objave po danu, po platformi (14 dana)',
    sr: 'Označene objave po danu, po platformi (14 dana)',
  },
  responseTimes: { en: 'Response times (7 days)', hr: 'Vrijeme odgovora (7 dana)', sr: 'Vreme odgovora (7 dana)' },
  firstResponse: { en: 'First response', hr: 'Prvi odgovor', sr: 'Prvi odgovor' },
  resolution: { en: 'Resolution', hr: 'Rješavanje', sr: 'Rešavanje' },
  median: { en: 'median', hr: 'medijan', sr: 'medijana' },
  p90: { en: '90th percentile', hr: '90. percentil', sr: '90. percentil' },
  withinSla: {
    en: 'Within the first-response SLA: {share} of {n} answered cases',
    hr: 'Unutar roka za prvi odgovor: {share} od {n} odgovorenih slučajeva',
    sr: 'U roku za prvi odgovor: {share} od {n} odgovorenih slučajeva',
  },
  topTopics: { en: 'Top complaint topics', hr: 'Najčešće teme pritužbi', sr: 'Najčešće teme žalbi' },
  thisWeekLastWeek: {
    en: 'blue: this week · grey: last week',
    hr: 'plavo: ovaj tjedan · sivo: prošli tjedan',
    sr: 'plavo: ove nedelje · sivo: prošle nedelje',
  },
  falseAlarmsByRule: { en: 'False alarms by rule (14 days)', hr: 'Lažne uzbune po pravilu (14 dana)', sr: 'Lažne uzbune po pravilu (14 dana)' },
  rule: { en: 'Rule', hr: 'Pravilo', sr: 'Pravilo' },
  falseAlarmsOfResolved: { en: 'False alarms / resolved', hr: 'Lažne uzbune / riješeni', sr: 'Lažne uzbune / rešeni' },
  alertsRaised: { en: 'Alerts raised (7 days)', hr: 'Podignuta upozorenja (7 dana)', sr: 'Podignuta upozorenja (7 dana)' },
  none: { en: 'none', hr: 'nema', sr: 'nema' },
  caseN: { en: 'Case #{n}', hr: 'Slučaj #{n}', sr: 'Slučaj #{n}' },
  // Streams
  stream: { en: 'Stream', hr: 'Izvor', sr: 'Izvor' },
  state: { en: 'State', hr: 'Stanje', sr: 'Stanje' },
  lastSuccess: { en: 'Last success', hr: 'Zadnji uspjeh', sr: 'Poslednji uspeh' },
  rateLimit: { en: 'Rate limit', hr: 'Ograničenje poziva', sr: 'Ograničenje poziva' },
  lastError: { en: 'Last error', hr: 'Zadnja greška', sr: 'Poslednja greška' },
  streamDisabled: { en: 'disabled', hr: 'isključen', sr: 'isključen' },
  streamFailing: { en: 'failing since {when}', hr: 'ne radi od {when}', sr: 'ne radi od {when}' },
  streamOk: { en: 'ok', hr: 'u redu', sr: 'u redu' },
  streamWaiting: { en: 'waiting for its first poll', hr: 'čeka prvo čitanje', sr: 'čeka prvo čitanje' },
  ago: { en: '{t} ago', hr: 'prije {t}', sr: 'pre {t}' },
  callsLeft: { en: '{n} left, resets {when}', hr: 'preostalo {n}, obnavlja se {when}', sr: 'preostalo {n}, obnavlja se {when}' },
  viewName: { en: 'name this view', hr: 'naziv prikaza', sr: 'naziv prikaza' },
  saveView: { en: 'Save view', hr: 'Spremi prikaz', sr: 'Sačuvaj prikaz' },
  notAllowed: { en: 'Not allowed', hr: 'Nije dopušteno', sr: 'Nije dozvoljeno' },
  roleCannotSee: { en: 'Your role cannot see this page.', hr: 'Vaša uloga ne vidi ovu stranicu.', sr: 'Vaša uloga ne vidi ovu stranicu.' },
  roleHasNoAlerts: { en: 'Your role has no alerts.', hr: 'Vaša uloga nema upozorenja.', sr: 'Vaša uloga nema upozorenja.' },
  // Rules and backtests (the packs' YAML keys stay English: they are the format)
  packsInForce: { en: 'Packs in force', hr: 'Aktivni paketi pravila', sr: 'Aktivni paketi pravila' },
  packRules: { en: '{file}, {n} rules', hr: '{file}, pravila: {n}', sr: '{file}, pravila: {n}' },
  editRejected: {
    en: 'The last edit was rejected; the packs above keep running',
    hr: 'Zadnja izmjena je odbijena; gornji paketi i dalje rade',
    sr: 'Poslednja izmena je odbijena; gornji paketi i dalje rade',
  },
  backtestTitle: { en: 'Backtest a candidate pack', hr: 'Provjeri novi paket na spremljenim objavama', sr: 'Proveri novi paket na sačuvanim objavama' },
  packYaml: { en: 'Pack (YAML)', hr: 'Paket (YAML)', sr: 'Paket (YAML)' },
  since: { en: 'Since (7d, 24h or a date)', hr: 'Od (7d, 24h ili datum)', sr: 'Od (7d, 24h ili datum)' },
  runBacktest: { en: 'Run backtest', hr: 'Pokreni provjeru', sr: 'Pokreni proveru' },
  cancelBacktest: { en: 'Cancel backtest', hr: 'Prekini provjeru', sr: 'Prekini proveru' },
  recentBacktests: { en: 'Recent backtests', hr: 'Nedavne provjere', sr: 'Nedavne provere' },
  backtestLine: {
    en: '{pack} since {date}: {status} ({done}/{total})',
    hr: '{pack} od {date}: {status} ({done}/{total})',
    sr: '{pack} od {date}: {status} ({done}/{total})',
  },
  backtestN: { en: 'Backtest #{n}: {pack}', hr: 'Provjera #{n}: {pack}', sr: 'Provera #{n}: {pack}' },
  backtestProgress: { en: '{done} / {total} posts · {status}', hr: '{done} / {total} objava · {status}', sr: '{done} / {total} objava · {status}' },
  backtestFlagged: {
    en: 'Flagged now {now}, with the candidate {candidate}: +{added} newly flagged, −{removed} no longer flagged.',
    hr: 'Sada označeno {now}, s novim paketom {candidate}: +{added} novo označenih, −{removed} više nije označeno.',
    sr: 'Sada označeno {now}, sa novim paketom {candidate}: +{added} novo označenih, −{removed} više nije označeno.',
  },
  backtestVerdicts: {
    en: "Against people's verdicts: of {falseAlarms} posts resolved as false alarms the candidate still flags {still}; of {answered} posts someone answered it no longer flags {dropped}.",
    hr: 'Prema odlukama ljudi: od {falseAlarms} objava riješenih kao lažna uzbuna novi paket i dalje označava {still}; od {answered} objava na koje je netko odgovorio više ne označava {dropped}.',
    sr: 'Prema odlukama ljudi: od {falseAlarms} objava rešenih kao lažna uzbuna novi paket i dalje označava {still}; od {answered} objava na koje je neko odgovorio više ne označava {dropped}.',
  },
  examplesNew: { en: 'Examples newly flagged', hr: 'Primjeri novo označenih', sr: 'Primeri novo označenih' },
  examplesGone: { en: 'Examples no longer flagged', hr: 'Primjeri koji više nisu označeni', sr: 'Primeri koji više nisu označeni' },
  // People (admins)
  people: { en: 'People', hr: 'Ljudi', sr: 'Ljudi' },
  addPerson: { en: 'Add a person', hr: 'Dodaj osobu', sr: 'Dodaj osobu' },
  name: { en: 'Name', hr: 'Ime', sr: 'Ime' },
  role: { en: 'Role', hr: 'Uloga', sr: 'Uloga' },
  teams: { en: 'Teams', hr: 'Timovi', sr: 'Timovi' },
  teamsHint: {
    en: 'comma-separated; "next case" draws from them',
    hr: 'odvojeni zarezom; „sljedeći slučaj” bira iz njih',
    sr: 'odvojeni zarezom; „sledeći slučaj” bira iz njih',
  },
  passwordOptional: {
    en: 'Password (empty: one is made and shown once)',
    hr: 'Lozinka (prazno: stvara se i prikazuje jednom)',
    sr: 'Lozinka (prazno: pravi se i prikazuje jednom)',
  },
  add: { en: 'Add', hr: 'Dodaj', sr: 'Dodaj' },
  change: { en: 'Change', hr: 'Promijeni', sr: 'Promeni' },
  disable: { en: 'Disable', hr: 'Isključi', sr: 'Isključi' },
  enable: { en: 'Enable', hr: 'Uključi', sr: 'Uključi' },
  streamGap: {
    en: 'Missed posts from {from} to {to} ({reason}): look for them on the platform.',
    hr: 'Propuštene objave od {from} do {to} ({reason}): potražite ih na platformi.',
    sr: 'Propuštene objave od {from} do {to} ({reason}): potražite ih na platformi.',
  },
  disabledChip: { en: 'disabled', hr: 'isključen', sr: 'isključen' },
  loginFailures: { en: '{n} failed logins', hr: 'neuspjelih prijava: {n}', sr: 'neuspelih prijava: {n}' },
  loginWaits: {
    en: '{n} failed logins: next attempt after {until}',
    hr: 'neuspjelih prijava: {n}; sljedeći pokušaj nakon {until}',
    sr: 'neuspelih prijava: {n}; sledeći pokušaj posle {until}',
  },
  disableHint: {
    en: 'Ends their sessions and puts the cases they hold back in the queue',
    hr: 'Završava prijave i vraća njihove slučajeve u red',
    sr: 'Završava prijave i vraća njihove slučajeve u red',
  },
  resetPassword: { en: 'New password', hr: 'Nova lozinka', sr: 'Nova lozinka' },
  passwordOnce: {
    en: 'Password for {email}, shown only now: ',
    hr: 'Lozinka za {email}, prikazuje se samo sada: ',
    sr: 'Lozinka za {email}, prikazuje se samo sada: ',
  },
  personAdded: { en: 'Added {email}.', hr: 'Dodano: {email}.', sr: 'Dodato: {email}.' },
  personChanged: { en: 'Saved the changes to {email}.', hr: 'Spremljene promjene za {email}.', sr: 'Sačuvane promene za {email}.' },
  // Erasure (admins)
  eraseCustomer: { en: 'Erase this customer’s data', hr: 'Izbriši podatke ovog korisnika', sr: 'Izbriši podatke ovog korisnika' },
  eraseHint: {
    en: 'At their request (GDPR): their posts’ words, handle and name go from odziv, wherever they are quoted. The case stays, under a pseudonym. This cannot be undone.',
    hr: 'Na njihov zahtjev (GDPR): riječi njihovih objava, korisničko ime i ime nestaju iz odziva, gdje god su navedeni. Slučaj ostaje, pod pseudonimom. Ne može se poništiti.',
    sr: 'Na njihov zahtev (GDPR): reči njihovih objava, korisničko ime i ime nestaju iz odziva, gde god su navedeni. Slučaj ostaje, pod pseudonimom. Ne može se poništiti.',
  },
  eraseConfirm: { en: '@{handle} asked for it', hr: '@{handle} je to zatražio/la', sr: '@{handle} je to zatražio/la' },
  eraseButton: { en: 'Erase', hr: 'Izbriši', sr: 'Izbriši' },
  eraseConfirmMissing: {
    en: 'Tick the box to confirm the customer asked for erasure.',
    hr: 'Označite da je korisnik zatražio brisanje.',
    sr: 'Označite da je korisnik zatražio brisanje.',
  },
  customerErased: {
    en: 'The customer’s data is erased; the case stays under a pseudonym.',
    hr: 'Podaci korisnika su izbrisani; slučaj ostaje pod pseudonimom.',
    sr: 'Podaci korisnika su izbrisani; slučaj ostaje pod pseudonimom.',
  },
  search: { en: 'Search', hr: 'Traži', sr: 'Traži' },
  searchHint: { en: 'words or @handle', hr: 'riječi ili @korisnik', sr: 'reči ili @korisnik' },
  // Bulk actions in the inbox
  bulkLabel: { en: 'Act on the chosen cases', hr: 'Radnja za odabrane slučajeve', sr: 'Radnja za odabrane slučajeve' },
  bulkSelected: { en: 'Chosen cases:', hr: 'Odabrani slučajevi:', sr: 'Odabrani slučajevi:' },
  bulkPick: { en: 'Choose case', hr: 'Odaberi slučaj', sr: 'Odaberi slučaj' },
  bulkEscalate: { en: 'Escalate to team', hr: 'Proslijedi timu', sr: 'Prosledi timu' },
  bulkAssign: { en: 'Assign to', hr: 'Dodijeli osobi', sr: 'Dodeli osobi' },
  bulkTeam: { en: 'team', hr: 'tim', sr: 'tim' },
  bulkNote: { en: 'note for the team', hr: 'bilješka za tim', sr: 'beleška za tim' },
  bulkAssignee: { en: 'person', hr: 'osoba', sr: 'osoba' },
  bulkApply: { en: 'Apply', hr: 'Primijeni', sr: 'Primeni' },
  bulkDone: {
    en: 'Done for {done} cases, {refused} refused.',
    hr: 'Gotovo za {done} slučajeva, odbijeno {refused}.',
    sr: 'Gotovo za {done} slučajeva, odbijeno {refused}.',
  },
} as const satisfies Record<string, Record<Locale, string>>;

export type MessageKey = keyof typeof T;

export function t(locale: Locale, key: MessageKey, vars: Record<string, string | number> = {}): string {
  let s: string = T[key][locale] ?? T[key].en;
  for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}

export const isLocale = (s: unknown): s is Locale => (LOCALES as readonly unknown[]).includes(s);

const TAGS: Record<Locale, string> = { en: 'en-GB', hr: 'hr-HR', sr: 'sr-Latn-RS' };

// Formatters are costly to build (a new one per number was a tenth of the inbox page's time): one per locale and zone.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const countFormats = new Map<Locale, Intl.NumberFormat>();

/** A date and time as the user reads them: their language, their time zone. */
export function formatDateTime(d: Date | string, locale: Locale, timeZone: string): string {
  const key = `${locale} ${timeZone}`;
  let f = dateFormats.get(key);
  if (!f) dateFormats.set(key, (f = new Intl.DateTimeFormat(TAGS[locale], { timeZone, dateStyle: 'medium', timeStyle: 'short' })));
  return f.format(new Date(d));
}

/** A count as the user reads it: "213,887" in English, "213.887" in Croatian and Serbian. */
export function formatCount(n: number, locale: Locale): string {
  let f = countFormats.get(locale);
  if (!f) countFormats.set(locale, (f = new Intl.NumberFormat(TAGS[locale])));
  return f.format(n);
}
