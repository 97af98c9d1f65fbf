import { serve } from '@hono/node-server';
import { healthRoutes } from './api/routes/health.ts';
import { ConfigError, loadConfig } from './config.ts';
import type { Deps } from './deps.ts';
import { createLogger } from './logger.ts';
import { createOdziv } from './odziv.ts';

const healthOnly = (deps: Deps) => healthRoutes(deps);

/** Start-up: validate config, open the database (migrations), serve the API, run the jobs. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`odziv: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const log = createLogger({ level: config.LOG_LEVEL, secrets: config.secrets });
  let odziv;
  try {
    odziv = await createOdziv(config, log);
  } catch (e) {
    log.fatal({ err: e }, 'odziv could not start');
    // Also plainly, for a person at a terminal (secrets are masked by the logger, not here: the
    // messages odziv builds name variables, never their values).
    process.stderr.write(`odziv could not start: ${(e as Error).message}\n`);
    process.exit(1);
  }
  // A worker answers only /health (for its orchestrator); web and all serve the API and the inbox.
  const role = config.ODZIV_ROLE;
  const fetch = role === 'worker' ? healthOnly(odziv.deps).fetch : odziv.app.fetch;
  const server = serve({ fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    log.info(
      { url: `http://localhost:${info.port}`, role, instance: odziv.instanceId, database: odziv.deps.database.kind, packs: odziv.deps.rulebook.status().packs },
      'odziv is listening',
    );
  });
  // Idle keep-alive connections stay open longer than a load balancer's own idle timeout (60 s at
  // the usual ones): closing first, Node's 5 s default races the balancer's next request on them.
  const http = server as unknown as { keepAliveTimeout: number; headersTimeout: number };
  http.keepAliveTimeout = 65_000;
  http.headersTimeout = 66_000;
  if (role !== 'web') odziv.startJobs();
  else odziv.deps.rulebook.watch();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: draining jobs and requests');
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await odziv.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

void main();
