import type { ChildProcess } from 'node:child_process';
import { stopChildProcess } from './stop-child-process';

/**
 * A server the tests run as a child process, which can be stopped and started again on the same
 * ports and data: what reliability tests need to prove runs resume after a restart.
 */
export abstract class RestartableChildServer {
  protected child: ChildProcess | undefined;
  restarts = 0;

  /** Starts the process and resolves once it answers. */
  protected abstract spawn(): Promise<void>;

  /** Graceful stop, then start again on the same ports and data. */
  async restart(): Promise<void> {
    await this.stop();
    await this.spawn();
    this.restarts += 1;
  }

  stop(): Promise<void> {
    return stopChildProcess(this.child, 20_000);
  }
}
