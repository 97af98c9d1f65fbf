/**
 * `npm run db:template` (and `npm ci`, through postinstall): builds the embedded database's
 * template, initdb and the migrations once, so a first start loads it instead (db/pglite-template.ts).
 * A failure here never fails the install: a first start then runs initdb, only slower.
 */
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { MIGRATIONS_DIR, PGLITE_PARAMS } from '../db/client.ts';
import { finishTemplateDir, templateBuildDir, writeTemplate } from '../db/pglite-template.ts';

try {
  const started = performance.now();
  const building = templateBuildDir();
  const pg = new PGlite(building, { extensions: { pg_trgm }, startParams: PGLITE_PARAMS });
  await migrate(drizzle(pg), { migrationsFolder: MIGRATIONS_DIR });
  await pg.query('checkpoint');
  const dump = await pg.dumpDataDir('gzip');
  await pg.close();
  finishTemplateDir(building);
  const file = writeTemplate(new Uint8Array(await dump.arrayBuffer()));
  process.stdout.write(
    `odziv: embedded database template ready (${file}, ${Math.round(dump.size / 1024)} KiB, ${Math.round(performance.now() - started)} ms)\n`,
  );
} catch (e) {
  process.stderr.write(`odziv: could not build the embedded database template (${(e as Error).message}); a first start will run initdb instead\n`);
}
