import { type FSWatcher, watch } from 'node:fs';
import { type CompiledPack, formatPackError, loadPackFiles, type PackError, packFilesIn } from '../rules/index.ts';
import type { Logger } from './logger.ts';

/**
 * The rule packs in force. Loaded at start (errors are fatal then: odziv does not start on a
 * broken pack); reloaded when a file changes, where a broken edit keeps the last good packs
 * running and logs every error.
 */
export class Rulebook {
  private packs: CompiledPack[] = [];
  private errors: PackError[] = [];
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private loadedAt = new Date(0);
  private version = 0;

  constructor(
    readonly dir: string,
    private readonly log: Logger,
    /** Told of every reload, accepted or rejected (the audit trail keeps rule-pack changes). */
    private readonly onChange?: (change: { accepted: boolean; packs: string[]; errors: string[] }) => void | Promise<void>,
  ) {}

  /** Loads the folder; throws with every error when any pack is invalid. */
  async load(): Promise<void> {
    const result = await loadPackFiles(await packFilesIn(this.dir));
    if (result.errors.length) {
      throw new Error(`invalid rule packs:\n${result.errors.map((e) => `  ${formatPackError(e)}`).join('\n')}`);
    }
    if (!result.packs.length) throw new Error(`no rule packs in ${this.dir}`);
    this.apply(result.packs);
  }

  /** Re-reads the folder; keeps the running packs when the new ones have errors. */
  async reload(): Promise<boolean> {
    let result;
    try {
      result = await loadPackFiles(await packFilesIn(this.dir));
    } catch (e) {
      this.errors = [{ file: this.dir, path: '', message: (e as Error).message }];
      this.log.error({ err: e }, 'rule packs: cannot read the folder; keeping the packs in force');
      return false;
    }
    if (result.errors.length || !result.packs.length) {
      this.errors = result.errors.length ? result.errors : [{ file: this.dir, path: '', message: 'no rule packs left in the folder' }];
      this.log.error({ errors: this.errors.map(formatPackError) }, 'rule packs: edit rejected; keeping the packs in force');
      await this.notify(false);
      return false;
    }
    this.apply(result.packs);
    this.log.info({ packs: result.packs.map((p) => `${p.name} (${p.rules.length} rules)`), version: this.version }, 'rule packs reloaded');
    await this.notify(true);
    return true;
  }

  private async notify(accepted: boolean): Promise<void> {
    try {
      await this.onChange?.({ accepted, packs: this.packs.map((p) => `${p.name} (${p.rules.length} rules)`), errors: this.errors.map(formatPackError) });
    } catch (err) {
      this.log.error({ err }, 'rule packs: recording the change failed');
    }
  }

  private apply(packs: CompiledPack[]): void {
    this.packs = packs;
    this.errors = [];
    this.loadedAt = new Date();
    this.version++;
  }

  /** Watches the folder and reloads shortly after the last change (editors write in bursts). */
  watch(debounceMs = 300): void {
    this.watcher = watch(this.dir, () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.reload(), debounceMs);
    });
    this.watcher.on('error', (err) => this.log.error({ err }, 'rule packs: watching the folder failed'));
  }

  current(): readonly CompiledPack[] {
    return this.packs;
  }

  status(): { version: number; loadedAt: Date; packs: Array<{ name: string; file: string; rules: number }>; errors: string[] } {
    return {
      version: this.version,
      loadedAt: this.loadedAt,
      packs: this.packs.map((p) => ({ name: p.name, file: p.file, rules: p.rules.length })),
      errors: this.errors.map(formatPackError),
    };
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
  }
}
