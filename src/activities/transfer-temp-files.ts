import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Temporary copies of files on their way Lucca → Aequivalent (CVs: personal data). Each lives in
 * its own private directory named after the worker process that made it, so a worker starting on
 * the same machine can tell the leftovers of a dead process (a SIGKILL skips every `finally`) from
 * the in-flight transfers of a live one.
 */
const PREFIX = 'lc-screening-';
// Directories not named by this scheme (an older release) are removed only past the transfer
// activity's 30-minute limit, so an old worker still running on the machine is not cut short.
const UNNAMED_MAX_AGE_MS = 60 * 60 * 1000;
// Tells this process apart from an earlier one that had the same pid (pid 1 in a restarted container).
const PROCESS_TOKEN = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

export function createTransferDir(root: string = tmpdir()): Promise<string> {
  return mkdtemp(join(root, `${PREFIX}${process.pid}-${PROCESS_TOKEN}-`));
}

/** Removes the transfer directories of processes that are gone; returns how many it removed. */
export async function sweepLeftoverTransferFiles(root: string = tmpdir()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(root).catch(() => [] as string[])) {
    if (!name.startsWith(PREFIX) || (await isLive(root, name))) continue;
    await rm(join(root, name), { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}

async function isLive(root: string, name: string): Promise<boolean> {
  const match = /^lc-screening-(\d+)-([a-z0-9]+)-/.exec(name);
  if (!match) {
    const modified = await stat(join(root, name)).then(
      (s) => s.mtimeMs,
      () => 0,
    );
    return Date.now() - modified < UNNAMED_MAX_AGE_MS;
  }
  const pid = Number(match[1]);
  if (pid === process.pid) return match[2] === PROCESS_TOKEN;
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}
