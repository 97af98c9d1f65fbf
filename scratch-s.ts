import { openDatabase } from './db/client.ts';
import { listCases } from './src/queue/cases.ts';
let n = 0;
const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, onQuery: () => n++ });
for (const q of [{ status: 'open' as const, q: 'racun' }, { q: 'ne radi' }, { q: 'trešnjevka' }, { q: 'zvecevo' }, { status: 'open' as const, q: 'sramota' }]) {
  for (let k = 0; k < 2; k++) { n = 0; const t = performance.now(); const r = await listCases(db, { ...q, limit: 50 }); console.log(JSON.stringify(q), r.cases.length, Math.round(performance.now() - t), 'ms', n, 'queries'); }
}
await db.close();
