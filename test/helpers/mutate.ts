import fc from 'fast-check';

/**
 * Malformed variants of a well-formed document (a webhook delivery, a rule pack): a few of its
 * fields replaced by hostile values, removed, or turned into another shape. Mutating a real
 * document reaches the code behind the first checks, where random JSON never gets.
 */
type Path = Array<string | number>;

const hostile = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom<unknown>(
    null,
    '',
    ' ',
    0,
    -1,
    1.5,
    1e308,
    -1e308,
    true,
    [],
    {},
    [null],
    '\u0000',
    '\ud800',
    '9'.repeat(40),
    'x'.repeat(20_000),
    "'; drop table posts; --",
    '<script>alert(1)</script>',
    '{{constructor.constructor("return process")()}}',
    '__proto__',
    'Wed Nov 99 99:99:99 +0000 2026',
    '2026-13-45T25:61:00Z',
  ),
);

export const mutation = fc.record({ pick: fc.nat(), op: fc.constantFrom('replace', 'delete', 'wrap', 'stringify'), value: hostile });
export type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function pathsOf(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) for (const [i, x] of v.entries()) pathsOf(x, [...at, i], out);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) pathsOf(x, [...at, k], out);
  return out;
}

/** The document with each mutation applied at a field picked from those it has at that moment. */
export function mutate(doc: unknown, mutations: readonly Mutation[]): unknown {
  let root: unknown = structuredClone(doc);
  for (const m of mutations) {
    const paths = pathsOf(root);
    const path = paths[m.pick % paths.length]!;
    const old = path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], root);
    const next = m.op === 'replace' ? m.value : m.op === 'wrap' ? [old] : m.op === 'stringify' ? JSON.stringify(old) : undefined;
    if (!path.length) {
      root = next ?? null;
      continue;
    }
    const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], root) as Record<string | number, unknown>;
    const key = path[path.length - 1]!;
    if (m.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else parent[key] = next;
  }
  return root;
}
