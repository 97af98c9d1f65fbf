const mb = () => { const m = process.memoryUsage(); return `rss ${Math.round(m.rss/1048576)} heap ${Math.round(m.heapUsed/1048576)}/${Math.round(m.heapTotal/1048576)} ext ${Math.round(m.external/1048576)} ab ${Math.round(m.arrayBuffers/1048576)}`; };
console.log('start', mb());
await import('./rules/index.ts'); (await import('./rules/index.ts')).analyzeDetailed('Internet ne radi', { toBrand: true }); global.gc?.(); console.log('analyzer', mb());
await import('./src/odziv.ts'); global.gc?.(); console.log('odziv imported', mb());
const { openDatabase } = await import('./db/client.ts');
const db = await openDatabase({ dataDir: '/tmp/d1' }); global.gc?.(); console.log('pglite open', mb());
await db.close();
