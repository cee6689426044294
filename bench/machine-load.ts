/**
 * How busy the machine was with other work while a measurement ran: CPU
 * time all processes used (`/proc/stat`) minus what this benchmark and its
 * children used (`/proc/<pid>/stat` utime+stime, plus cutime+cstime for
 * children that already exited), as a share of all cores.
 *
 * The benchmark cannot keep other work off a shared machine; it reports it,
 * so a reader can tell a slow figure from a busy machine. It does not pause
 * or retry when the machine is busy.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Clock ticks per second of `/proc` CPU counters (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

export interface CpuSample {
  readonly atMs: number;
  /** Busy ticks of all processes (everything but idle and iowait). */
  readonly busyTicks: number;
  /** Ticks used by this process and its descendants. */
  readonly ownTicks: number;
}

function busyTicks(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return user + nice + system + irq + softirq + steal;
}

interface ProcStat {
  readonly ppid: number;
  readonly ticks: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; see proc(5).
    const fields = text
      .slice(text.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    const [, ppid] = fields;
    const utime = fields[11];
    const stime = fields[12];
    const cutime = fields[13];
    const cstime = fields[14];
    return { ppid, ticks: utime + stime + cutime + cstime };
  } catch {
    return undefined;
  }
}

function ownTicks(): number {
  const stats = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat !== undefined) stats.set(Number(entry), stat);
  }
  const ours = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, stat] of stats) {
      if (!ours.has(pid) && ours.has(stat.ppid)) {
        ours.add(pid);
        grew = true;
      }
    }
  }
  let total = 0;
  for (const pid of ours) total += stats.get(pid)?.ticks ?? 0;
  return total;
}

export function sampleCpu(): CpuSample {
  return { atMs: performance.now(), busyTicks: busyTicks(), ownTicks: ownTicks() };
}

export interface CpuShare {
  /** Cores' worth of CPU this benchmark used (0 to the core count). */
  readonly benchCores: number;
  /** Cores' worth of CPU everything else used. */
  readonly otherCores: number;
  readonly cores: number;
}

export function cpuShareSince(start: CpuSample, end: CpuSample = sampleCpu()): CpuShare {
  const seconds = Math.max(0.001, (end.atMs - start.atMs) / 1000);
  const busy = (end.busyTicks - start.busyTicks) / TICKS_PER_SECOND / seconds;
  const own = (end.ownTicks - start.ownTicks) / TICKS_PER_SECOND / seconds;
  return { benchCores: own, otherCores: Math.max(0, busy - own), cores: cpus().length };
}
