import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The module graph points one way, so a newcomer can tell what sits above what: `db` at the
 * bottom, `rules` (the analyzer and the policy) and `adapters` (the platforms) above it and apart,
 * and `src` on top. Biome checks the layers and file-level cycles (biome.jsonc, `npm run lint`);
 * this checks what it cannot: that src's folders never import each other in a circle.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const LAYERS = ['db', 'rules', 'adapters', 'src'] as const;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx|mjs)$/.test(name) ? [path] : [];
  });
}

/** Relative imports of every source file, as repository paths. */
function edges(): Array<{ from: string; to: string }> {
  const out: Array<{ from: string; to: string }> = [];
  for (const layer of LAYERS) {
    for (const file of sources(join(ROOT, layer))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
        out.push({ from: relative(ROOT, file), to: relative(ROOT, normalize(join(dirname(file), m[1] ?? m[2]!))) });
      }
    }
  }
  return out;
}

/** A file's module: its top-level folder, or for `src` its folder (or file) inside `src`. */
const moduleOf = (path: string) => {
  const [top, second] = path.split('/');
  return top === 'src' && second ? `src/${second.replace(/\.tsx?$/, '')}` : top!;
};

describe('the module graph', () => {
  const all = edges();

  it('finds the imports it checks', () => {
    expect(all.length).toBeGreaterThan(300);
    expect(all).toContainEqual({ from: 'src/ingest/poller.ts', to: 'src/ingest/ingest.ts' });
  });

  it('has no cycle between the modules of src', () => {
    const graph = new Map<string, Set<string>>();
    const why = new Map<string, string>();
    for (const e of all) {
      const [a, b] = [moduleOf(e.from), moduleOf(e.to)];
      if (a === b || !a.startsWith('src/') || !b.startsWith('src/')) continue;
      if (!graph.has(a)) graph.set(a, new Set());
      graph.get(a)!.add(b);
      why.set(`${a}>${b}`, `${e.from} -> ${e.to}`);
    }
    // Depth-first search; a back edge closes a cycle, reported with the imports that make it.
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (m: string) => {
      state.set(m, 'open');
      path.push(m);
      for (const n of graph.get(m) ?? []) {
        if (state.get(n) === 'open') {
          const loop = [...path.slice(path.indexOf(n)), n];
          cycles.push(
            loop
              .slice(1)
              .map((to, i) => why.get(`${loop[i]}>${to}`))
              .join(', '),
          );
        } else if (!state.has(n)) visit(n);
      }
      path.pop();
      state.set(m, 'done');
    };
    for (const m of graph.keys()) if (!state.has(m)) visit(m);
    expect(cycles).toEqual([]);
  });

  it('keeps queries out of the pages: the inbox calls the same services as the API', () => {
    const querying = sources(join(ROOT, 'src', 'ui')).filter((f) => /\bdatabase\.(db|rows|execute)\b/.test(readFileSync(f, 'utf8')));
    expect(querying.map((f) => relative(ROOT, f))).toEqual([]);
  });
});
