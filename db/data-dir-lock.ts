import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * One process at a time may open an on-disk PGlite. Two processes (say `npm start` and
 * `odziv users add` on the same folder) would each work on their own copy of the files and
 * silently overwrite each other's writes; PGlite itself does not stop that.
 *
 * The lock is a file holding the owner's pid and, on Linux, when that process started: a lock
 * whose owner is gone (SIGKILL, power loss) is taken over at once, and a pid reused by another
 * process is told apart by its start time. Hand-written rather than proper-lockfile: that one
 * judges staleness by mtime, so a restart after a crash would wait out the stale period, and a
 * long query in PGlite (which runs on the event loop) would mark our own lock compromised.
 */
export class DataDirLockedError extends Error {
  constructor(
    readonly lockFile: string,
    readonly owner: LockOwner,
  ) {
    super(
      `the data folder is in use by another odziv process (pid ${owner.pid}, since ${owner.since}): ` +
        'the embedded database allows one process at a time. Stop that process first, or set DATABASE_URL ' +
        `to a PostgreSQL server to run several. If no such process runs, delete ${lockFile}`,
    );
    this.name = 'DataDirLockedError';
  }
}

interface LockOwner {
  pid: number;
  /** /proc start time in clock ticks since boot (Linux), to tell a reused pid apart. */
  startTicks?: string;
  since: string;
}

function startTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces and parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function alive(owner: LockOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    // EPERM: the pid exists but belongs to another user; it is still somebody's process.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (owner.startTicks === undefined) return true;
  const now = startTicks(owner.pid);
  return now === undefined || now === owner.startTicks;
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    return Number.isSafeInteger(o.pid) && (o.pid ?? 0) > 0 ? { pid: o.pid!, startTicks: o.startTicks, since: String(o.since) } : undefined;
  } catch {
    // Missing, or unreadable junk: nobody can be holding it.
    return undefined;
  }
}

/** Takes the lock or throws DataDirLockedError; returns the function that gives it back. */
export function lockDataDir(file: string): () => void {
  const me: LockOwner = { pid: process.pid, startTicks: startTicks(process.pid), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 5; attempt++) {
    // Written in full under a name of our own, then linked into place: link() fails if the lock
    // exists, so nobody ever reads a half-written lock of a live process.
    const mine = `${file}.${process.pid}`;
    writeFileSync(mine, JSON.stringify(me), { mode: 0o644 });
    try {
      linkSync(mine, file);
      return () => {
        if (readOwner(file)?.pid === me.pid) rmSync(file, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      rmSync(mine, { force: true });
    }
    const owner = readOwner(file);
    if (owner && alive(owner)) throw new DataDirLockedError(file, owner);
    // Stale: move it aside under a name of our own, then make sure what was moved is the stale
    // lock and not one another process took in the meantime (that one goes back).
    const aside = `${file}.stale-${process.pid}`;
    try {
      renameSync(file, aside);
    } catch {
      continue; // someone else moved it first
    }
    const moved = readOwner(aside);
    if (moved && alive(moved)) {
      try {
        linkSync(aside, file);
      } catch {
        // A third process took the lock meanwhile; the live one we moved is still the owner.
      }
      rmSync(aside, { force: true });
      throw new DataDirLockedError(file, moved);
    }
    rmSync(aside, { force: true });
  }
  throw new Error(`could not take the lock ${file}: it keeps changing hands`);
}
