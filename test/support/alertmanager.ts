/** A real Alertmanager (Debian's prometheus-alertmanager) for tests: own port and data dir. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './harness.js';
import { REPO_ROOT } from './servers.js';

export const ALERTMANAGER_CONFIG = join(REPO_ROOT, 'infra/alertmanager/alertmanager.yml');
export const alertmanagerScratch = mkdtempSync(join(tmpdir(), 'tw-alertmanager-'));

/** One Alertmanager process on a fixed port and data dir, that can be stopped and started again. */
export class TestAlertmanager {
  private proc: ChildProcess | null = null;
  private output = '';
  constructor(
    readonly port: number,
    readonly dataDir: string,
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const proc = spawn(
      'prometheus-alertmanager',
      [
        `--config.file=${ALERTMANAGER_CONFIG}`,
        `--storage.path=${this.dataDir}`,
        `--web.listen-address=127.0.0.1:${this.port}`,
        '--cluster.listen-address=',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    proc.stdout?.on('data', (d) => (this.output += d));
    proc.stderr?.on('data', (d) => (this.output += d));
    const spawned = new Promise<void>((resolve, reject) => {
      proc.once('spawn', resolve);
      proc.once('error', (err) =>
        reject(
          new Error(
            `prometheus-alertmanager could not start (bash infra/local/stack.sh up installs it): ${err.message}`,
          ),
        ),
      );
    });
    await spawned;
    this.proc = proc;
    await waitFor(`Alertmanager on ${this.url} ready; its output:\n${this.output}`, async () => {
      if (proc.exitCode !== null) throw new Error(`exited with ${proc.exitCode}: ${this.output}`);
      return (await fetch(`${this.url}/-/ready`)).ok;
    });
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    this.resume();
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    await exited;
    this.proc = null;
  }

  /** Frozen: the port accepts connections, nothing answers; its memory is kept. */
  freeze() {
    this.proc?.kill('SIGSTOP');
  }
  resume() {
    this.proc?.kill('SIGCONT');
  }

  /** A counter of its own /metrics, e.g. alerts received by status. */
  async metric(name: string, labels: string): Promise<number> {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
    return line ? Number(line.split(' ').pop()) : 0;
  }
}
