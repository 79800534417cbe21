import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const KEY_LINE = /^Secret key \(test mode\): (sk_test_[A-Za-z0-9]+)/m;

export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * The real program, `node --import tsx src/main.ts [args]`, as an operator runs it, with only the
 * PORTICO_ variables given (none inherited from the test's environment).
 */
export class Program {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private waiters: (() => void)[] = [];

  constructor(args: string[], env: Record<string, string>) {
    const inherited = { ...process.env };
    for (const name of Object.keys(inherited)) if (name.startsWith('PORTICO_')) delete inherited[name];
    delete inherited.PORT;
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
      cwd: ROOT,
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const notify = () => {
      for (const w of this.waiters.slice()) w();
    };
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      this.stdout += d;
      notify();
    });
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      this.stderr += d;
      notify();
    });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        resolve({ code, signal });
        notify();
      });
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves when stdout matches; fails if the process exits first or after `ms`. */
  waitFor(pattern: RegExp, ms = 30_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`no ${pattern} within ${ms} ms; stdout:\n${this.stdout}\nstderr:\n${this.stderr}`));
      }, ms);
      const check = () => {
        const match = this.stdout.match(pattern);
        if (match) {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve(match);
        } else if (!this.running) {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== check);
          reject(new Error(`exited before printing ${pattern}:\n${this.stdout}\n${this.stderr}`));
        }
      };
      this.waiters.push(check);
      check();
    });
  }

  /** SIGKILL, as a crash or `kill -9`: only this child, by its pid. Resolves once it is gone. */
  async kill(): Promise<void> {
    if (this.running) this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** `portico serve` on a port and store, with extra environment (webhook settings). */
export function startPortico(port: number, storeUrl: string, env: Record<string, string> = {}): Program {
  return new Program([], {
    PORT: String(port),
    PORTICO_HOST: '127.0.0.1',
    PORTICO_DATABASE_URL: storeUrl,
    ...env,
  });
}
