import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A fresh embedded database starts from a template: PGlite's initdb plus the migrations, done once
 * (at `npm ci`, by scripts/pglite-template.ts) and kept in node_modules/.cache, as a data folder (a
 * first start copies it into place and opens it as an existing one) and as a tarball (for
 * in-memory databases: tests). Without it a first start ran initdb in a second PostgreSQL instance:
 * 3.7 s and a 900 MiB peak; loading the tarball into a folder kept its unpacked copy in PGlite's
 * heap (500 MiB). The template is named by a hash of PGlite's version and every migration file, so
 * a new migration never starts from a stale one; without a template (npm ci --ignore-scripts),
 * PGlite runs initdb as before.
 */
const here = dirname(fileURLToPath(import.meta.url));
const MIGRATIONS = join(here, 'migrations');
const CACHE = join(here, '..', 'node_modules', '.cache', 'odziv');

function key(): string {
  const h = createHash('sha256');
  // PGlite's package.json is not among its exports: it sits beside its entry point's folder.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  h.update(readFileSync(join(dirname(entry), '..', 'package.json')));
  for (const f of readdirSync(MIGRATIONS, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort()) {
    h.update(f.slice(MIGRATIONS.length)).update(readFileSync(f));
  }
  return h.digest('hex').slice(0, 16);
}

export const templateFile = (): string => join(CACHE, `pglite-${key()}.tar.gz`);
export const templateDir = (): string => join(CACHE, `pglite-${key()}`);

/** Copies the template folder to `dir` (a new data folder); false when there is none. */
export function copyTemplateTo(dir: string): boolean {
  try {
    const from = templateDir();
    if (!existsSync(join(from, 'PG_VERSION'))) return false;
    cpSync(from, `${dir}.tmp`, { recursive: true });
    renameSync(`${dir}.tmp`, dir);
    return true;
  } catch {
    rmSync(`${dir}.tmp`, { recursive: true, force: true });
    return false;
  }
}

/** The template for the current migrations, or undefined when none was built (or it cannot be read: initdb then). */
export function readTemplate(): Blob | undefined {
  try {
    const file = templateFile();
    return existsSync(file) ? new Blob([readFileSync(file)]) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the template tarball (atomically: a half-written file is never read). */
export function writeTemplate(bytes: Uint8Array): string {
  const file = templateFile();
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(`${file}.tmp`, bytes);
  renameSync(`${file}.tmp`, file);
  return file;
}

/** Where the template folder is built before it takes its name (so a half-built one is never copied). */
export function templateBuildDir(): string {
  mkdirSync(CACHE, { recursive: true });
  const dir = `${templateDir()}.building`;
  rmSync(dir, { recursive: true, force: true });
  return dir;
}

export function finishTemplateDir(built: string): void {
  rmSync(templateDir(), { recursive: true, force: true });
  renameSync(built, templateDir());
}
