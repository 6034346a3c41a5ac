import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/index.ts';
import { capture } from './support/cli-run.ts';

describe('esimlab plans', () => {
  it('lists every carrier with its time zone and API style', async () => {
    const { io, out } = capture();
    expect(await runCli(['plans'], io)).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('(att) · America/New_York · API style idempotent');
    expect(text).toContain('(tmobile) · America/Los_Angeles · API style reference');
    expect(text).toContain('(verizon) · America/Chicago · API style async');
  });

  it('prints one carrier as JSON with integer cents and bytes', async () => {
    const { io, out } = capture();
    expect(await runCli(['plans', '--carrier', 'att', '--json'], io)).toBe(0);
    const catalog = JSON.parse(out.join('\n'));
    expect(Object.keys(catalog)).toEqual(['att']);
    for (const plan of catalog.att) {
      expect(Number.isInteger(plan.price.amount)).toBe(true);
      expect(Number.isInteger(plan.dataBytes)).toBe(true);
      expect(plan.id.startsWith('att-')).toBe(true);
    }
  });

  it('rejects an unknown carrier naming the flag and the choices', async () => {
    const { io, err } = capture();
    expect(await runCli(['plans', '--carrier', 'sprint'], io)).toBe(2);
    expect(err.join('\n')).toContain(
      '--carrier must be one of att, tmobile, verizon; got "sprint"',
    );
  });

  it('rejects an unknown flag', async () => {
    const { io, err } = capture();
    expect(await runCli(['plans', '--carier', 'att'], io)).toBe(2);
    expect(err.join('\n')).toContain('unknown flag --carier; did you mean --carrier?');
  });

  it('rejects an unknown command with the usage', async () => {
    const { io, err } = capture();
    expect(await runCli(['activate'], io)).toBe(2);
    expect(err.join('\n')).toContain('unknown command "activate"');
  });

  it('runs as an executable through its bin script', () => {
    const bin = fileURLToPath(new URL('../bin/esimlab.js', import.meta.url));
    const result = spawnSync(process.execPath, [bin, 'plans', '--carrier', 'verizon'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('verizon-');
  }, 30_000);
});
