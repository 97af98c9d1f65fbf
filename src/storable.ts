/**
 * PostgreSQL stores neither the NUL character (text and jsonb refuse it) nor a lone UTF-16
 * surrogate (jsonb refuses its escape; text silently turns it into U+FFFD). Clients and platforms can
 * send both. The API refuses them naming the field (a client's mistake, never a 500); ingest mends
 * them, so one odd post cannot stall its stream by failing every batch it is in.
 */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

/** Where in a parsed body (`text`, `items[2].name`) the first unstorable string is, if anywhere. */
export function unstorablePath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path || '(body)' : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorablePath(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const here = path ? `${path}.${k}` : k;
      if (UNSTORABLE.test(k)) return here;
      const found = unstorablePath(v, here);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The value with every unstorable character (keys included) replaced by U+FFFD; untouched when clean. */
export function storable<T>(value: T): T {
  if (unstorablePath(value) === undefined) return value;
  return mend(value) as T;
}

function mend(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(UNSTORABLE_ALL, '\uFFFD');
  if (Array.isArray(value)) return value.map(mend);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [mend(k) as string, mend(v)]));
  }
  return value;
}

export const UNSTORABLE_MESSAGE = 'contains a NUL character or a broken Unicode surrogate, which cannot be stored';
