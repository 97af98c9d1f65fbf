import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplates, renderTemplate, type TemplateContext, type Templates } from '../../src/queue/templates.ts';

const templates: Templates = {
  refund: {
    en: 'Hi {customer}, {responder} here. Checking the refund for {order}; write to care@vedra.test or https://vedra.test/help.',
    hr: 'Pozdrav {customer}, ovdje {responder}. Provjeravam povrat za {order}.',
    sr: 'Zdravo {customer}, ovde {responder}. Proveravam povraćaj za {order}; pišite na podrska@vedra.test ili https://vedra.test/pomoc i @VedraPomoc.',
    bs: 'Zdravo {customer}, ovdje {responder}. Provjeravam povrat za {order}.',
  },
};
const ctx = (over: Partial<TemplateContext>): TemplateContext => ({
  language: 'sr',
  cyrillic: false,
  customerName: null,
  customerHandle: 'marko_p',
  responderName: 'Ana Petrović',
  postText: '',
  ...over,
});

describe('reply templates', () => {
  it('fills in the first names, the order number and the language the customer wrote in', () => {
    expect(renderTemplate(templates, 'refund', ctx({ language: 'en', customerName: 'John Smith', postText: 'order 55555 still not refunded' }))).toBe(
      'Hi John, Ana here. Checking the refund for 55555; write to care@vedra.test or https://vedra.test/help.',
    );
    expect(renderTemplate(templates, 'refund', ctx({ language: 'bcs-family', postText: 'narudžba br. 12345' }))).toBe(
      'Pozdrav @marko_p, ovdje Ana. Provjeravam povrat za 12345.',
    );
    expect(renderTemplate(templates, 'nope', ctx({}))).toBeUndefined();
  });

  it('answers a Cyrillic post in Cyrillic, leaving names, handles, links, addresses and numbers as written', () => {
    expect(renderTemplate(templates, 'refund', ctx({ cyrillic: true, postText: 'Где је мој поврат, наруџбина 12345?' }))).toBe(
      'Здраво @marko_p, овде Ana. Проверавам повраћај за 12345; пишите на podrska@vedra.test или https://vedra.test/pomoc и @VedraPomoc.',
    );
    expect(renderTemplate(templates, 'refund', ctx({ cyrillic: true, customerName: 'John Smith' }))).toContain('Здраво John, овде Ana.');
  });

  it('refuses a templates file with a syntax error or a missing language, naming the file and where', () => {
    const file = (text: string) => {
      const path = join(mkdtempSync(join(tmpdir(), 'odziv-tpl-')), 'templates.yaml');
      writeFileSync(path, text);
      return path;
    };
    const broken = file('thanks:\n  en: "hi\n  hr: [\n');
    expect(() => loadTemplates(broken)).toThrow(`${broken}: Missing closing "quote at line 4`);
    const partial = file('thanks:\n  en: Thank you, {customer}!\n');
    expect(() => loadTemplates(partial)).toThrow(`${partial}: template "thanks": hr:`);
    expect(Object.keys(loadTemplates('rules/templates.yaml'))).toContain('refund');
  });
});
