/**
 * `npx tsx bench/profile-summary.ts <file.cpuprofile> [top] [regex]`: the self time
 * of a V8 CPU profile (`node --cpu-prof`) grouped three ways: by function, by
 * source file and by package (`node_modules/<name>`, our own folders, or
 * node internals), plus the inclusive time of the heaviest functions; with a
 * regex, only the caller chains of the matching functions.
 *
 * It is a reading aid for the profiles the benchmark README asks for; it
 * does not run anything or decide anything.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

/** Reads a `.cpuprofile` (V8 inspector JSON); throws naming the first field that is not what a profile holds. */
export function parseCpuProfile(text: string, file: string): CpuProfile {
  const value: unknown = JSON.parse(text);
  if (!isCpuProfile(value)) throw new Error(`${file}: not a V8 CPU profile (needs nodes, samples, timeDeltas arrays and numeric startTime/endTime)`);
  return value;
}

function isCpuProfile(value: unknown): value is CpuProfile {
  if (typeof value !== 'object' || value === null) return false;
  const fields: Record<string, unknown> = { ...value };
  return (
    Array.isArray(fields['nodes']) &&
    Array.isArray(fields['samples']) &&
    Array.isArray(fields['timeDeltas']) &&
    typeof fields['startTime'] === 'number' &&
    typeof fields['endTime'] === 'number'
  );
}

/** Self time of functions matching `pattern`, grouped by their caller chain (`depth` frames up). */
export function callersOf(profile: CpuProfile, pattern: RegExp, depth = 4): (readonly [string, number])[] {
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const label = (frame: CallFrame) => `${frame.functionName || '(anonymous)'} ${shortFile(frame.url)}:${frame.lineNumber + 1}`;
  // Inclusive time of each matching frame, attributed to its chain of callers.
  const chains = new Map<string, number>();
  for (const [id, us] of selfUs) {
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current)?.callFrame;
      if (frame === undefined || !pattern.test(label(frame))) continue;
      const path: string[] = [label(frame)];
      for (let up = parent.get(current); up !== undefined && path.length <= depth; up = parent.get(up)) {
        const upFrame = byId.get(up)?.callFrame;
        if (upFrame !== undefined) path.push(label(upFrame));
      }
      chains.set(path.join('\n      <- '), (chains.get(path.join('\n      <- ')) ?? 0) + us);
      break;
    }
  }
  return [...chains].sort((a, b) => b[1] - a[1]).map(([key, us]) => [key, us / 1000] as const);
}

const LAYERS: readonly (readonly [string, RegExp])[] = [
  ['upstream fetch (undici, openapi-fetch)', /deps\/undici|openapi-fetch/],
  ['MCP SDK (+ zod)', /@modelcontextprotocol|\/zod\//],
  ['web streams, AbortSignal, events', /webstreams|abort_controller|event_target|internal\/webidl|js_transferable|node:events/],
  [
    'HTTP server + Express',
    /node:_http|node:net|internal\/streams|node:stream|express|router|body-parser|raw-body|type-is|on-finished|finalhandler|parseurl|iconv-lite|content-type|mime|media-typer|qs\/|statuses|http-errors|debug|depd|send|encodeurl|cookie/,
  ],
  ['logging (pino)', /pino|sonic-boom|fast-redact/],
  ['validation (Ajv)', /ajv/],
  ['crypto', /crypto/],
  ['gateway code (runtime/, generated/)', /\/work\/main\/(runtime|generated)\/|bench\/\.tmp\/dist/],
  ['timers, microtasks, promises', /internal\/timers|task_queues|internal\/process/],
];

/**
 * Self time per layer of the gateway's request path. The mapping from
 * package or Node internal file to layer is a judgement (web streams serve
 * both fetch and the SDK's Web Request adapter); GC and system calls are
 * their own layers because they are large and cannot be assigned.
 */
export function layerBreakdown(profile: CpuProfile): (readonly [string, number])[] {
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const layers = new Map<string, number>();
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const { url, functionName } = node.callFrame;
    let layer: string;
    if (functionName === '(garbage collector)') layer = 'garbage collection';
    else if (functionName === '(idle)') layer = 'idle';
    else if (url === '')
      layer = /^(writev|write|writeBuffer|writeUtf8String|writeLatin1String|read|close|shutdown|connect|onStreamRead)/.test(functionName)
        ? 'system calls (socket I/O)'
        : 'native / VM other';
    else layer = LAYERS.find(([, pattern]) => pattern.test(url))?.[0] ?? 'other';
    layers.set(layer, (layers.get(layer) ?? 0) + us);
  }
  return [...layers].sort((a, b) => b[1] - a[1]).map(([key, us]) => [key, us / 1000] as const);
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly byFunction: readonly (readonly [string, number])[];
  readonly byFile: readonly (readonly [string, number])[];
  readonly byPackage: readonly (readonly [string, number])[];
  readonly inclusive: readonly (readonly [string, number])[];
}

/** Which package or project folder a script URL belongs to. */
export function packageOf(url: string): string {
  if (url === '') return '(native/vm)';
  if (url.startsWith('node:')) return 'node:internal';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules !== null) return modules[1];
  const own = /\/work\/main\/([^/]+)\//.exec(url);
  return own !== null ? own[1] : url;
}

function shortFile(url: string): string {
  return url.replace(/^file:\/\/\/work\/main\//, '').replace(/^.*node_modules\//, '~/');
}

export function summarizeProfile(profile: CpuProfile): ProfileSummary {
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  const pkg = new Map<string, number>();
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    add(fn, `${functionName || '(anonymous)'} ${shortFile(url)}:${lineNumber + 1}`, us);
    add(file, shortFile(url) || `(${functionName})`, us);
    add(pkg, packageOf(url), us);
  }
  // Inclusive time: a function counts once per sample even when recursive.
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current)?.callFrame;
      if (frame === undefined || frame.url === '') continue;
      const key = `${frame.functionName || '(anonymous)'} ${shortFile(frame.url)}:${frame.lineNumber + 1}`;
      if (!seen.has(key)) add(inclusive, key, us);
      seen.add(key);
    }
  }
  const top = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).map(([key, us]) => [key, us / 1000] as const);
  return { totalMs: (profile.endTime - profile.startTime) / 1000, byFunction: top(fn), byFile: top(file), byPackage: top(pkg), inclusive: top(inclusive) };
}

function printSection(title: string, rows: readonly (readonly [string, number])[], totalMs: number, limit: number): void {
  process.stdout.write(`\n${title}\n`);
  for (const [key, ms] of rows.slice(0, limit)) {
    process.stdout.write(`  ${ms.toFixed(1).padStart(9)} ms ${((100 * ms) / totalMs).toFixed(1).padStart(5)}%  ${key}\n`);
  }
}

if (process.argv[1]?.endsWith('profile-summary.ts')) {
  const [file, topArg, callers] = process.argv.slice(2);
  if (file === undefined) {
    process.stderr.write('usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [top] [callers-of-regex]\n');
    process.exit(2);
  }
  const limit = Number(topArg ?? 25);
  const profile = parseCpuProfile(readFileSync(file, 'utf8'), file);
  const summary = summarizeProfile(profile);
  if (callers !== undefined) {
    printSection(`callers of /${callers}/ (inclusive)`, callersOf(profile, new RegExp(callers)), summary.totalMs, limit);
    process.exit(0);
  }
  process.stdout.write(`${file}: ${summary.totalMs.toFixed(0)} ms profiled\n`);
  printSection('self time by layer', layerBreakdown(profile), summary.totalMs, limit);
  printSection('self time by package', summary.byPackage, summary.totalMs, limit);
  printSection('self time by file', summary.byFile, summary.totalMs, limit);
  printSection('self time by function', summary.byFunction, summary.totalMs, limit);
  printSection('inclusive time by function', summary.inclusive, summary.totalMs, limit);
}
