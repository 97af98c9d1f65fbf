import { openDatabase } from './db/client.ts';
import { listCases } from './src/queue/cases.ts';
const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL });
for (let i = 0; i < 50; i++) await listCases(db, { status: 'open', limit: 50 });
const t = performance.now();
for (let i = 0; i < 600; i++) await listCases(db, { status: 'open', limit: 50 });
console.log('listCases', ((performance.now() - t) / 600).toFixed(2), 'ms each');
await db.close();
