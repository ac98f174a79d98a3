import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Temporary copies of files on their way Lucca → Aequivalent (CVs: personal data). Each lives in
 * its own private directory named after the worker process that made it, so a worker starting on
 * the same machine can tell the leftovers of a dead process (a SIGKILL skips every `finally`) from
 * the in-flight transfers of a live one.
 */
const PREFIX = 'lc-screening-';
// Tells this process apart from an earlier one that had the same pid (pid 1 in a restarted container).
const PROCESS_TOKEN = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

export function createTransferDir(root: string = tmpdir()): Promise<string> {
  return mkdtemp(join(root, `${PREFIX}${process.pid}-${PROCESS_TOKEN}-`));
}

/** Removes the transfer directories of processes that are gone; returns how many it removed. */
export async function sweepLeftoverTransferFiles(root: string = tmpdir()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(root).catch(() => [] as string[])) {
    if (!name.startsWith(PREFIX) || isLive(name)) continue;
    await rm(join(root, name), { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}

function isLive(name: string): boolean {
  const match = /^lc-screening-(\d+)-([a-z0-9]+)-/.exec(name);
  if (!match) return false; // not made by this scheme: an older leftover
  const pid = Number(match[1]);
  if (pid === process.pid) return match[2] === PROCESS_TOKEN;
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}
