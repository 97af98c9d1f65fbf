import { describe, expect, it } from 'vitest';
import { compilePack } from '../../rules/engine/compile.ts';
import { withinHours } from '../../rules/engine/evaluate.ts';
import { Pack } from '../../rules/engine/schema.ts';
import { analyzeDetailed, type CompiledPack, computePriority, evaluate, explainPriority, historyDaysFor, type PostFacts } from '../../rules/index.ts';
import { postFacts } from '../helpers/post-facts.ts';

const facts = postFacts;
const pack = (rules: unknown[]): CompiledPack => compilePack(Pack.parse({ pack: 't', rules }), 't.yaml');
const run = (p: CompiledPack, text: string, over: Partial<PostFacts> = {}) => evaluate([p], analyzeDetailed(text), facts({ text, ...over }));
const flagRule = (id: string, conditions: unknown) => ({ id, conditions, actions: { flag: { reason: id } } });

describe('conditions', () => {
  it('keywords match inflections, Cyrillic and missing diacritics from one entry', () => {
    const p = pack([flagRule('cancel', { keywords: { bcs: ['otkazati ugovor'] } })]);
    for (const text of ['Hoću otkazati ugovor', 'otkazati ugovore odmah', 'Хоћу отказати уговор']) {
      expect(
        run(p, text).flags.map((f) => f.ruleId),
        text,
      ).toEqual(['cancel']);
    }
    const q = pack([flagRule('wait', { keywords: { bcs: ['čekam'] } })]);
    expect(run(q, 'cekam vec sat vremena').flags).toHaveLength(1);
    expect(run(q, 'čekamo već sat vremena').flags).toHaveLength(1);
    expect(run(q, 'nema veze').flags).toHaveLength(0);
  });

  it('keeps the matched terms as evidence', () => {
    const p = pack([flagRule('r', { keywords: ['refund', 'money back'] })]);
    expect(run(p, 'I want my money back and a refund').flags[0]!.evidence).toEqual(['"refund"', '"money back"']);
  });

  it('says a matched keyword once when a category already quotes it', () => {
    const p = pack([flagRule('churn', { any: [{ category: 'churn' }, { keywords: ['never again', 'switching to'] }] })]);
    expect(run(p, 'Never again, I am done with you').flags[0]!.evidence).toEqual(['churn: "never again", "done with you"']);
    // A keyword the category did not quote stays.
    const q = pack([flagRule('churn', { any: [{ category: 'churn' }, { keywords: ['done'] }] })]);
    expect(run(q, 'Never again, I am done with you').flags[0]!.evidence).toEqual(['churn: "never again", "done with you"', '"done"']);
  });

  it('combines with all / any / not', () => {
    const p = pack([flagRule('c', { all: [{ negative: true }, { any: [{ keywords: ['wifi'] }, { keywords: ['internet'] }] }, { not: { language: 'hr' } }] })]);
    expect(run(p, 'The wifi is terrible again').flags).toHaveLength(1);
    expect(run(p, 'The wifi is great').flags).toHaveLength(0);
    expect(run(p, 'Tko je odgovoran, internet je užasan ovaj tjedan').flags).toHaveLength(0);
  });

  it('checks regex, thresholds, reach, engagement and questions', () => {
    expect(run(pack([flagRule('o', { regex: 'order\\s*#?\\d{4,}' })]), 'where is order #48213').flags[0]!.evidence[0]).toContain('order #48213');
    expect(run(pack([flagRule('c', { minComplaint: 0.5 })]), 'Terrible, my internet is not working for days').flags).toHaveLength(1);
    expect(run(pack([flagRule('c', { minComplaint: 0.5 })]), 'Lovely weather today').flags).toHaveLength(0);
    expect(run(pack([flagRule('f', { minFollowers: 10000 })]), 'hello', { followers: 50_000 }).flags).toHaveLength(1);
    expect(run(pack([flagRule('f', { minFollowers: 10000 })]), 'hello', { followers: 50 }).flags).toHaveLength(0);
    expect(run(pack([flagRule('e', { minEngagementPerHour: 100 })]), 'hello', { engagementPerHour: 250 }).flags).toHaveLength(1);
    expect(run(pack([flagRule('q', { question: true })]), 'Radi li poslovnica subotom?').flags).toHaveLength(1);
  });

  it('counts the author history (third complaint this week)', () => {
    const p = pack([flagRule('third', { authorComplaints: { min: 3, days: 7 } })]);
    const now = new Date('2026-11-23T10:00:00Z');
    const day = 86_400_000;
    expect(run(p, 'again', { now, authorComplaintTimes: [new Date(now.getTime() - day), new Date(now.getTime() - 2 * day)] }).flags).toHaveLength(1);
    expect(run(p, 'again', { now, authorComplaintTimes: [new Date(now.getTime() - day), new Date(now.getTime() - 9 * day)] }).flags).toHaveLength(0);
  });

  it('says how far back the author history must be read (the longest rule, nested too; none: 0)', () => {
    expect(historyDaysFor([pack([flagRule('kw', { keywords: ['refund'] })])])).toBe(0);
    const nested = pack([
      flagRule('a', { any: [{ negative: true }, { all: [{ authorComplaints: { min: 2, days: 45 } }] }] }),
      flagRule('b', { authorComplaints: { min: 3, days: 7 } }),
    ]);
    expect(historyDaysFor([nested, pack([flagRule('c', { not: { authorComplaints: { min: 5, days: 60 } } })])])).toBe(60);
  });

  it('knows business hours in a time zone, including spans over midnight', () => {
    const bh = { timeZone: 'Europe/Zagreb', from: '09:00', to: '17:00' };
    expect(withinHours(new Date('2026-11-23T10:00:00Z'), bh)).toBe(true); // Monday 11:00 in Zagreb
    expect(withinHours(new Date('2026-11-23T17:30:00Z'), bh)).toBe(false); // 18:30
    expect(withinHours(new Date('2026-11-22T10:00:00Z'), bh)).toBe(false); // Sunday
    const night = { timeZone: 'Europe/Zagreb', from: '22:00', to: '06:00', days: ['mon' as const] };
    expect(withinHours(new Date('2026-11-23T22:30:00Z'), night)).toBe(true); // Monday 23:30
    expect(withinHours(new Date('2026-11-24T03:00:00Z'), night)).toBe(true); // Tuesday 04:00, Monday's night
    expect(withinHours(new Date('2026-11-25T03:00:00Z'), night)).toBe(false); // Wednesday 04:00
  });
});

describe('actions and how several rules combine', () => {
  it('an ignore wins over every flag (own posts, reposts)', () => {
    const p = pack([{ id: 'own', conditions: { own: true }, actions: { ignore: true } }, flagRule('neg', { negative: true })]);
    const o = run(p, 'Terrible outage tonight, sorry everyone', { isOwn: true });
    expect(o.ignored).toBe(true);
    expect(o.flags).toEqual([]);
    expect(o.fired).toEqual(['t/own', 't/neg']);
  });

  it('first route wins, adds sum, the highest set replaces the formula, alerts and templates are unions', () => {
    const p = pack([
      {
        id: 'a',
        conditions: { negative: true },
        actions: { flag: { category: 'broken', reason: 'A' }, route: 'tech', priority: { add: 10 }, alert: 'community_manager', template: 'broken' },
      },
      {
        id: 'b',
        conditions: { negative: true },
        actions: { flag: { reason: 'B' }, route: 'care', priority: { add: 5, set: 40 }, alert: ['marketing', 'community_manager'], template: 'broken' },
      },
    ]);
    const o = run(p, 'This is terrible');
    expect(o.team).toBe('tech');
    expect(o.category).toBe('broken');
    expect(o.reason).toBe('A');
    expect(o.priority).toBe(55);
    expect(o.alerts).toEqual(['community_manager', 'marketing']);
    expect(o.templates).toEqual(['broken']);
  });
});

describe('priority', () => {
  it('combines complaint, sentiment, reach, velocity and churn, and explains itself', () => {
    const { priority, components } = computePriority({
      complaint: 0.9,
      sentiment: -0.6,
      followers: 12_000,
      verified: false,
      engagementPerHour: 0,
      categories: ['churn'],
      add: 10,
    });
    expect(components).toMatchObject({ complaint: 36, sentiment: 9, reach: 12.2, velocity: 0, churn: 15, rules: 10 });
    expect(priority).toBe(82);
    expect(explainPriority(priority, components)).toBe('priority 82 = complaint 36 + sentiment 9 + reach 12 + churn 15 + rules +10');
  });
  it('stays within 0–100', () => {
    expect(
      computePriority({ complaint: 1, sentiment: -1, followers: 1e9, verified: true, engagementPerHour: 1e9, categories: ['churn'], add: 100 }).priority,
    ).toBe(100);
    expect(computePriority({ complaint: 0, sentiment: 1, followers: 0, verified: false, engagementPerHour: 0, categories: [], add: -100 }).priority).toBe(0);
  });
});

describe('default pack on typical posts', () => {
  it('flags churn with the highest boost and routes praise to marketing', async () => {
    const { loadPackFiles, packFilesIn } = await import('../../rules/index.ts');
    const { packs } = await loadPackFiles(await packFilesIn('rules/packs'));
    const churn = evaluate(packs, analyzeDetailed('Otkazujem ugovor i prelazim kod konkurencije!'), facts());
    const broken = evaluate(packs, analyzeDetailed('Internet opet ne radi, sramota!'), facts());
    expect(churn.flags[0]!.category).toBe('churn');
    expect(broken.flags[0]!.category).toBe('broken');
    expect(churn.priority).toBeGreaterThan(broken.priority + 10);
    expect(churn.alerts).toContain('community_manager');
    const praise = evaluate(packs, analyzeDetailed('Hvala, Ivana iz podrške je bila izuzetno ljubazna. Bravo!'), facts());
    expect(praise.team).toBe('marketing');
    expect(praise.category).toBe('praise');
    const repost = evaluate(packs, analyzeDetailed('RT @ana: internet ne radi, sramota'), facts({ isRepost: true }));
    expect(repost.ignored).toBe(true);
    const spam = evaluate(packs, analyzeDetailed('FREE FOLLOWERS!!! Click here to earn money with crypto'), facts());
    expect(spam.ignored).toBe(true);
  });
});

describe('the remaining conditions', () => {
  it('language, platform and stream', () => {
    const p = pack([flagRule('l', { language: ['hr', 'bcs-family'] }), flagRule('x', { platform: 'x' }), flagRule('s', { stream: ['brand-mentions'] })]);
    const ids = (text: string, over: Partial<PostFacts> = {}) => run(p, text, over).flags.map((f) => f.ruleId);
    expect(ids('Tko mi može reći zašto je račun veći ovaj tjedan?', { platform: 'replay' })).toEqual(['l']);
    expect(ids('Why is my bill higher this month?', { platform: 'x', stream: 'brand-mentions' })).toEqual(['x', 's']);
    expect(ids('Why is my bill higher this month?', { platform: 'facebook', stream: 'other' })).toEqual([]);
  });

  it('sentiment bounds, the negative decision, verified, engagement and reposts', () => {
    const p = pack([
      flagRule('very-negative', { maxSentiment: -0.5 }),
      flagRule('not-negative', { negative: false }),
      flagRule('positive', { minSentiment: 0.3 }),
      flagRule('verified', { verified: true }),
      flagRule('engaged', { minEngagement: 100 }),
      flagRule('repost', { repost: true }),
    ]);
    const ids = (text: string, over: Partial<PostFacts> = {}) => run(p, text, over).flags.map((f) => f.ruleId);
    expect(ids('This is the worst, most useless service ever. Terrible!')).toEqual(['very-negative']);
    expect(ids('Thank you so much, brilliant service!')).toEqual(['not-negative', 'positive']);
    expect(ids('ok', { verified: true, engagement: 250, isRepost: true })).toEqual(expect.arrayContaining(['verified', 'engaged', 'repost']));
  });

  it('a rule gated by a category or keyword still fires, and one with alternatives fires on either', () => {
    const p = pack([
      flagRule('churn-and-negative', { all: [{ category: 'churn' }, { negative: true }] }),
      flagRule('churn-or-keyword', { any: [{ category: 'churn' }, { keywords: ['ruter'] }] }),
      flagRule('not-churn', { all: [{ not: { category: 'churn' } }, { negative: true }] }),
    ]);
    expect(run(p, 'Otkazujem ugovor, prelazim kod konkurencije, sramota!').flags.map((f) => f.ruleId)).toEqual(['churn-and-negative', 'churn-or-keyword']);
    expect(run(p, 'Ruter opet ne radi, užas').flags.map((f) => f.ruleId)).toEqual(['churn-or-keyword', 'not-churn']);
  });

  it("keeps the rules' order whatever opens them", () => {
    const p = pack([
      { id: 'a', conditions: { keywords: ['ruter'] }, actions: { route: 'tech' } },
      { id: 'b', conditions: { negative: true }, actions: { route: 'care' } },
      { id: 'c', conditions: { category: 'broken' }, actions: { route: 'field' } },
    ]);
    const o = run(p, 'Ruter opet ne radi, užas');
    expect(o.fired).toEqual(['t/a', 't/b', 't/c']);
    expect(o.team).toBe('tech');
  });
});
