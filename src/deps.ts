import type { AdapterSet } from '../adapters/registry.ts';
import type { Database } from '../db/client.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Templates } from './queue/templates.ts';
import type { Rulebook } from './rulebook.ts';

/** What the API, the scheduler and the CLI share: built once in the composition root (src/odziv.ts). */
export interface Deps {
  config: Config;
  database: Database;
  adapters: AdapterSet;
  rulebook: Rulebook;
  templates: Templates;
  log: Logger;
}
