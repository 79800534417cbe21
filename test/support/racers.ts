import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type Stripe from 'stripe';
import { sdk } from './server.ts';

const PROGRAM = fileURLToPath(new URL('./racer-process.ts', import.meta.url));

/** One Portico process of a race (test/support/racer-process.ts), driven over IPC. */
export class Racer {
  port = 0;
  key = '';
  stderr = '';
  private next = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private constructor(readonly child: ChildProcess) {}

  static async start(storeUrl: string, clock: number): Promise<Racer> {
    const child = fork(PROGRAM, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, RACER_STORE: storeUrl, RACER_CLOCK: String(clock) },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    const racer = new Racer(child);
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      racer.stderr += d;
    });
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) =>
        reject(new Error(`the racer exited (${code}) before it was ready:\n${racer.stderr}`)),
      );
      child.on(
        'message',
        (m: { type: string; id?: number; port?: number; key?: string; value?: unknown; error?: string }) => {
          if (m.type === 'ready') {
            racer.port = m.port!;
            racer.key = m.key!;
            resolve();
          } else if (m.type === 'done') {
            const waiter = racer.pending.get(m.id!);
            racer.pending.delete(m.id!);
            if (m.error) waiter?.reject(new Error(m.error));
            else waiter?.resolve(m.value);
          }
        },
      );
    });
    return racer;
  }

  private ask<T>(message: object): Promise<T> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ ...message, id });
    });
  }

  /** Moves this process's clock (its workers see the new time on their next poll). */
  setClock(now: number): Promise<void> {
    return this.ask({ type: 'clock', now });
  }

  /** Runs the portal session sweep now; answers how many sessions it deleted. */
  prune(): Promise<number> {
    return this.ask({ type: 'prune' });
  }

  stripe(): Stripe {
    return sdk(this.port, this.key);
  }

  /** Disconnecting asks the process to close its app (workers stopped, store closed) and exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.disconnect();
    await exited;
  }
}
