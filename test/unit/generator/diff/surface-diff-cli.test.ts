/**
 * Exit codes of `npm run surface:diff` on fixture surfaces (no generation, no network). The CLI runs under
 * tsx as `node --import tsx`: the same loader as `npx tsx`, without npx's and tsx's wrapper processes
 * (1 s per run instead of 2.5 s).
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const FIXTURES = resolve('test/fixtures/surface-diff/surfaces');
const at = (file: string): string => join(FIXTURES, file);
const CLI = resolve('generator/surface-diff-cli.ts');
const TSX = pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runCli(args: readonly string[], cwd = process.cwd()): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', TSX, CLI, ...args], { encoding: 'utf8', cwd }, (error, stdout, stderr) => {
      done({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr });
    });
  });
}

type Case = [string, { given: string[]; want: { code: number; stdout?: string; stderr?: string } }];

async function check(given: string[], want: Case[1]['want'], cwd?: string): Promise<void> {
  const run = await runCli(given, cwd);
  expect(run.code, run.stderr).toBe(want.code);
  if (want.stdout) expect(run.stdout).toContain(want.stdout);
  if (want.stderr) expect(run.stderr).toContain(want.stderr);
  if (want.code === 2) expect(run.stderr).toContain('usage: npm run surface:diff');
}

describe.concurrent('surface-diff-cli', () => {
  it.each<Case>([
    ['identical surfaces', { given: [at('base.json'), at('base.json')], want: { code: 0, stdout: '## Tool surface: no changes' } }],
    ['a compatible change', { given: [at('base.json'), at('compatible.json')], want: { code: 0, stdout: '| 🟢 compatible | `tool.title-changed` |' } }],
    ['a breaking change', { given: [at('base.json'), at('breaking.json')], want: { code: 1, stdout: '| 🔴 breaking | `argument.now-required:limit` |' } }],
    [
      'an acknowledged breaking change',
      {
        given: [at('base.json'), at('breaking.json'), '--config', at('acknowledged.tools.yaml')],
        want: { code: 0, stdout: '| ✅ breaking, acknowledged | `argument.now-required:limit` |' },
      },
    ],
    ['a missing file', { given: [at('missing.json'), at('base.json')], want: { code: 2, stderr: 'missing.json: file not found' } }],
    [
      'not a tool-surface.json',
      { given: [at('base.json'), at('not-a-surface.json')], want: { code: 2, stderr: 'not-a-surface.json is not a tool-surface.json' } },
    ],
    [
      'an unknown git revision',
      { given: ['no-such-revision-4f2a', at('base.json')], want: { code: 2, stderr: 'no-such-revision-4f2a: no such file, and not a known git revision' } },
    ],
    [
      'an invalid acknowledgement',
      { given: [at('base.json'), at('breaking.json'), '--config', at('bad-acknowledged.tools.yaml')], want: { code: 2, stderr: '#/acknowledged/0/reason' } },
    ],
    ['an unknown option', { given: ['--fast'], want: { code: 2, stderr: "Unknown option '--fast'" } }],
  ])('%s', async (_name, { given, want }) => {
    await check(given, want);
  });
});

/** A scratch repository: HEAD~3 has no surface, HEAD~2 base, HEAD~1 breaking, HEAD acknowledges it in spec/tools.yaml. */
describe.concurrent('surface-diff-cli with git revisions', () => {
  let repo = '';
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'surface-diff-'));
    const git = (...args: string[]): void =>
      void execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: repo });
    git('init', '--quiet');
    mkdirSync(join(repo, 'generated'));
    mkdirSync(join(repo, 'spec'));
    writeFileSync(join(repo, 'spec/tools.yaml'), 'version: 1\ntools: []\n');
    git('add', '.');
    git('commit', '--quiet', '-m', 'no surface yet');
    for (const [file, message] of [
      ['base.json', 'base'],
      ['breaking.json', 'breaking'],
    ]) {
      copyFileSync(at(file!), join(repo, 'generated/tool-surface.json'));
      git('add', '.');
      git('commit', '--quiet', '-m', message!);
    }
    copyFileSync(at('acknowledged.tools.yaml'), join(repo, 'spec/tools.yaml'));
    git('commit', '--quiet', '-am', 'acknowledge');
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it.each<Case>([
    ['a breaking change between revisions', { given: ['HEAD~2', 'HEAD~1'], want: { code: 1, stdout: 'Compared `HEAD~2` (2 tools) with `HEAD~1` (2 tools).' } }],
    ["acknowledged in the new revision's spec/tools.yaml", { given: ['HEAD~2', 'HEAD'], want: { code: 0, stdout: '✅ breaking, acknowledged' } }],
    ['a revision against a folder', { given: ['HEAD~2', 'generated'], want: { code: 0, stdout: '1 acknowledged' } }],
    ['a revision without generated/', { given: ['HEAD~3', 'HEAD'], want: { code: 2, stderr: 'HEAD~3: the revision has no generated/tool-surface.json' } }],
  ])('%s', async (_name, { given, want }) => {
    await check(given, want, repo);
  });
});
