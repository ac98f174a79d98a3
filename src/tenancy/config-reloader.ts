import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { ConfigError, textDigest, type LoadedConfig } from '../config/load-config';
import { loadReplacementConfig } from '../config/replacement-config';
import { isEmptyDiff, type TenantDiff } from '../config/tenant-diff';
import type { TenantDirectory } from '../config/tenant-directory';

export interface ReloadLog {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
}

export type ReloadOutcome = { status: 'applied'; diff: TenantDiff } | { status: 'unchanged' } | { status: 'refused'; problems: string[] };

export interface ConfigReloaderOptions {
  path: string;
  directory: TenantDirectory;
  log: ReloadLog;
  env?: NodeJS.ProcessEnv;
  /** How often the file's content is looked at (default 2 s). */
  pollMs?: number;
  /** Reload on SIGHUP (default true; `npm start` keeps the terminal's meaning of SIGHUP). */
  reloadOnSighup?: boolean;
  /** Runs after the directory holds the new config (schedules, runs of removed tenants). */
  onApplied?: (diff: TenantDiff, loaded: LoadedConfig) => Promise<void>;
}

/**
 * Hot reload of the tenants: the config file is polled (works with editors that replace the file,
 * bind mounts and Kubernetes ConfigMaps, where inotify events get lost) and SIGHUP reloads at once.
 * A new file is validated as a whole first; refused, it changes nothing and the problems are logged
 * with their paths. Reloads never overlap.
 */
export class ConfigReloader {
  private queue: Promise<unknown> = Promise.resolve();
  private lastDigest: string;
  private readonly onSignal = () => void this.reload('SIGHUP');

  constructor(private readonly options: ConfigReloaderOptions) {
    // The content actually loaded, not the file as it is now: an edit made between start-up's read
    // and this line must still be seen as a change.
    this.lastDigest = options.directory.loaded.digest;
  }

  start(): void {
    watchFile(this.options.path, { interval: this.options.pollMs ?? 2000, persistent: false }, () => void this.reload('file changed'));
    if (this.options.reloadOnSighup !== false) process.on('SIGHUP', this.onSignal);
    // watchFile only reports changes made from now on: look once at what changed since the load.
    void this.reload('changed before watching');
  }

  stop(): void {
    unwatchFile(this.options.path);
    process.off('SIGHUP', this.onSignal);
  }

  /** Validates and applies the file now; resolves once applied (or refused). */
  reload(trigger = 'request'): Promise<ReloadOutcome> {
    const run = this.queue.then(() => this.reloadOnce(trigger));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async reloadOnce(trigger: string): Promise<ReloadOutcome> {
    const fileDigest = digest(this.options.path);
    if (fileDigest === this.lastDigest && trigger !== 'SIGHUP') return { status: 'unchanged' };
    let next: LoadedConfig;
    try {
      next = loadReplacementConfig(this.options.path, this.options.directory.loaded, this.options.env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      this.lastDigest = fileDigest; // the same bad file is reported once
      this.options.log.warn('config refused; the running configuration is kept', { trigger, path: err.path, problems: err.problems });
      return { status: 'refused', problems: err.problems };
    }
    this.lastDigest = next.digest;
    const diff = this.options.directory.replace(next);
    if (isEmptyDiff(diff) && trigger !== 'SIGHUP') return { status: 'unchanged' };
    this.options.log.info('config reloaded', {
      trigger,
      added: diff.added,
      changed: diff.changed,
      removed: diff.removed,
      tenants: next.config.tenants.length,
    });
    await this.options.onApplied?.(diff, next);
    return { status: 'applied', diff };
  }
}

function digest(path: string): string {
  try {
    return textDigest(readFileSync(path));
  } catch {
    return 'unreadable';
  }
}
