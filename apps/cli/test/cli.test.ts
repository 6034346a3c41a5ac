import { describe, expect, it } from 'vitest';
import { runToEnd } from './support/cli-run.ts';

describe('esimlab', () => {
  it('lists every command in --help', async () => {
    const { code, stdout } = await runToEnd(['--help']);
    expect(code).toBe(0);
    for (const command of ['up', 'audit', 'proxy', 'plans']) {
      expect(stdout).toMatch(new RegExp(`^  ${command}\\s+\\S`, 'm'));
    }
  });

  it('prints the usage and exits 2 when no command is given', async () => {
    const { code, stdout } = await runToEnd([]);
    expect(code).toBe(2);
    expect(stdout).toContain('usage: esimlab <command> [options]');
  });

  it('ignores the `--` separator npm-style runners pass through', async () => {
    for (const argv of [
      ['--', 'plans', '--carrier', 'att', '--json'],
      ['plans', '--', '--carrier', 'att', '--json'],
    ]) {
      const { code, stdout } = await runToEnd(argv);
      expect(code, argv.join(' ')).toBe(0);
      expect(Object.keys(JSON.parse(stdout))).toEqual(['att']);
    }
  });

  it.each(['up', 'audit', 'proxy', 'plans'])(
    'prints the options of %s with --help',
    async (command) => {
      const { code, stdout } = await runToEnd([command, '--help']);
      expect(code).toBe(0);
      expect(stdout.startsWith(`esimlab ${command}`)).toBe(true);
      expect(stdout).toContain('--help');
    },
  );
});
