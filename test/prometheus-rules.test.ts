/**
 * The monitoring configs with the real Debian tools the stack runs: Prometheus's rules and
 * config (`promtool`), Alertmanager's config (`amtool`). The rules' behaviour is unit-tested
 * by infra/prometheus/tests/pipeline.test.yml, series by series.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/servers.js';

const PROMETHEUS = join(REPO_ROOT, 'infra/prometheus');

function run(tool: string, ...args: string[]) {
  const r = spawnSync(tool, args, { encoding: 'utf8' });
  if (r.error)
    throw new Error(`${tool} is not installed (bash infra/local/stack.sh up installs it): ${r.error.message}`);
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

const scratch = mkdtempSync(join(tmpdir(), 'tw-prom-rules-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The layout stack.sh (or docker compose) gives Prometheus: config, rules/, targets/. */
function prometheusConfigWith(targets: 'local' | 'compose'): string {
  const dir = join(scratch, targets);
  cpSync(join(PROMETHEUS, 'prometheus.yml'), join(dir, 'prometheus.yml'));
  cpSync(join(PROMETHEUS, 'rules'), join(dir, 'rules'), { recursive: true });
  cpSync(join(PROMETHEUS, 'targets', targets), join(dir, 'targets'), { recursive: true });
  return join(dir, 'prometheus.yml');
}

describe('Prometheus rules for the pipeline’s health', () => {
  it('pass promtool check rules', () => {
    const r = run('promtool', 'check', 'rules', join(PROMETHEUS, 'rules/pipeline.yml'));
    expect(r.output).toContain('SUCCESS: 6 rules found');
    expect(r.status).toBe(0);
  });

  it('fire where they must and stay silent where they must not (promtool test rules)', () => {
    const r = run('promtool', 'test', 'rules', join(PROMETHEUS, 'tests/pipeline.test.yml'));
    expect(r.output, r.output).toContain('SUCCESS');
    expect(r.status, r.output).toBe(0);
  });

  it("the notifier's rules pass promtool check and their unit tests", () => {
    const check = run('promtool', 'check', 'rules', join(PROMETHEUS, 'rules/notifier.yml'));
    expect(check.output).toContain('SUCCESS: 3 rules found');
    const r = run('promtool', 'test', 'rules', join(PROMETHEUS, 'tests/notifier.test.yml'));
    expect(r.output, r.output).toContain('SUCCESS');
    expect(r.status, r.output).toBe(0);
  });

  it('a broken rule is refused (the check is live)', () => {
    const bad = join(scratch, 'bad.yml');
    writeFileSync(bad, 'groups:\n  - name: x\n    rules:\n      - alert: Broken\n        expr: sum by (job (up)\n');
    const r = run('promtool', 'check', 'rules', bad);
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/parse error|unexpected/);
  });
});

describe('Prometheus and Alertmanager configs', () => {
  it.each(['local', 'compose'] as const)(
    'prometheus.yml with the %s targets passes promtool check config',
    (targets) => {
      const r = run('promtool', 'check', 'config', prometheusConfigWith(targets));
      expect(r.status, r.output).toBe(0);
      expect(r.output).toContain('SUCCESS: 2 rule files found'); // pipeline.yml, notifier.yml
    },
  );

  it('alertmanager.yml passes amtool check-config', () => {
    const r = run('amtool', 'check-config', join(REPO_ROOT, 'infra/alertmanager/alertmanager.yml'));
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain('SUCCESS');
  });
});
