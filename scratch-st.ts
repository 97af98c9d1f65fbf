const t0 = performance.now();
const lap = (l: string) => console.log(l, Math.round(performance.now() - t0), 'ms', Math.round(process.memoryUsage().rss / 1048576), 'MiB');
const { loadConfig } = await import('./src/config.ts'); lap('config import');
const { createOdziv } = await import('./src/odziv.ts'); lap('odziv import');
const { createLogger } = await import('./src/logger.ts');
const config = loadConfig({ ...process.env, ODZIV_DATA_DIR: '/tmp/d-st' + Date.now(), LOG_LEVEL: 'silent' });
const o = await createOdziv(config, createLogger({ level: 'silent' })); lap('createOdziv (fresh)');
o.startJobs(); lap('jobs started');
await o.close(); lap('closed');
