import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { cyrillicToLatin, latinToCyrillic, readYaml } from '../../rules/index.ts';

const LANGS = ['en', 'hr', 'sr', 'bs'] as const;
type TemplateLang = (typeof LANGS)[number];

const TemplateFile = z.record(
  z.string().regex(/^[a-z0-9_-]+$/, { error: 'expected a template id of lower-case letters, digits, - or _' }),
  z.strictObject(
    { en: z.string().min(1), hr: z.string().min(1), sr: z.string().min(1), bs: z.string().min(1) },
    { error: 'expected texts under en, hr, sr and bs' },
  ),
);
export type Templates = z.infer<typeof TemplateFile>;

/** Loads the templates file; an error names the file, the template and the field. */
export function loadTemplates(path: string): Templates {
  const yaml = readYaml(readFileSync(path, 'utf8'));
  if (!('data' in yaml)) throw new Error(`${path}: ${yaml.error}`);
  const parsed = TemplateFile.safeParse(yaml.data);
  if (!parsed.success) {
    throw new Error(
      parsed.error.issues.map((i) => `${path}: template "${String(i.path[0] ?? '')}": ${i.path.slice(1).join('.') || 'text'}: ${i.message}`).join('\n'),
    );
  }
  return parsed.data;
}

export interface TemplateContext {
  /** The case's language as the analyzer read it. */
  language: string;
  cyrillic: boolean;
  customerName: string | null;
  customerHandle: string;
  responderName: string;
  postText: string;
}

const firstName = (name: string | null | undefined) => name?.trim().split(/\s+/)[0] ?? '';
const ORDER = /(?:order|narudžb\w*|porudžbin\w*|narudzb\w*|porudzbin\w*|ticket|#)\s*(?:no\.?|br\.?|broj)?\s*#?(\d{4,})/iu;

/** The post's language family as a template language (Croatian for an undecided BCS post). */
export function templateLanguage(language: string): TemplateLang {
  if ((LANGS as readonly string[]).includes(language)) return language as TemplateLang;
  return language === 'bcs-family' ? 'hr' : 'en';
}

/** Placeholders, links, e-mail addresses and @handles: what transliteration must leave as written. */
const VERBATIM = /(\{[a-z]+\}|https?:\/\/\S+|[\w.+-]+@[\w-]+\.[\w.-]+|@\w+)/u;

/**
 * Fills a template for a case; Serbian goes out in Cyrillic when the customer wrote in Cyrillic.
 * Only the template's own words change script: names, @handles, links and order numbers stay as
 * written ("@marko_p" is a handle, not "@марко_п"; "John" is not "Јохн").
 */
export function renderTemplate(templates: Templates, id: string, ctx: TemplateContext, lang = templateLanguage(ctx.language)): string | undefined {
  const t = templates[id];
  if (!t) return undefined;
  const order = ORDER.exec(cyrillicToLatin(ctx.postText))?.[1];
  const values: Record<string, string> = {
    '{customer}': firstName(ctx.customerName) || `@${ctx.customerHandle}`,
    '{responder}': firstName(ctx.responderName),
    '{order}': order ?? '…',
  };
  const cyrillic = lang === 'sr' && ctx.cyrillic;
  return t[lang]
    .split(VERBATIM)
    .map((part, i) => (i % 2 === 1 ? (values[part] ?? part) : cyrillic ? latinToCyrillic(part) : part))
    .join('');
}

/** "– Ana" by default; the team policy comes from ODZIV_SIGNATURE ("off" for none). */
export function signature(policy: string, responderName: string): string | undefined {
  if (policy === 'off') return undefined;
  return policy.replaceAll('{responder}', firstName(responderName));
}

/** Adds the signature on its own line unless the text already ends with it. */
export function sign(text: string, sig: string | undefined): string {
  if (!sig || text.trimEnd().endsWith(sig)) return text;
  return `${text.trimEnd()}\n${sig}`;
}
