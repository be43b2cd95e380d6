/**
 * What the kernel says about a server process: CPU time (utime + stime from
 * /proc/<pid>/stat, all threads) and resident memory (VmRSS from
 * /proc/<pid>/status). Linux only.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every common kernel). */
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds the process has used so far (user + system, all threads). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces and parentheses: fields start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, i.e. 11 and 12 after the name.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / CLK_TCK;
}

/** Resident set size in KB. */
export function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!m) throw new Error(`no VmRSS in /proc/${pid}/status (process gone?)`);
  return Number(m[1]);
}

/** Measures a process's CPU use between `start()` and `stop()`, as % of one core. */
export function cpuMeter(pid: number) {
  let cpu0 = 0;
  let t0 = 0;
  return {
    start(): void {
      cpu0 = cpuSeconds(pid);
      t0 = performance.now();
    },
    stop(): number {
      const seconds = (performance.now() - t0) / 1000;
      return seconds > 0 ? ((cpuSeconds(pid) - cpu0) / seconds) * 100 : 0;
    },
  };
}

/** Pins every thread of this process to the given CPUs (taskset -a -p -c). */
export function pinSelf(cpus: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(process.pid)], { stdio: 'ignore' });
}

/** CPU seconds one core has spent running tasks (user + nice + system; not irq, softirq or idle). */
export function coreBusySeconds(core: number): number {
  const line = readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`cpu${core} `));
  if (!line) throw new Error(`no cpu${core} in /proc/stat`);
  const [user, nice, system] = line.split(/\s+/).slice(1, 4).map(Number);
  return (user! + nice! + system!) / CLK_TCK;
}

/**
 * CPU % that processes other than the one measured took on a core over a
 * window: a benchmark on a shared machine says when it was disturbed.
 */
export function otherLoadMeter(core: number, ownCpuSeconds: () => number) {
  let busy0 = 0;
  let own0 = 0;
  let t0 = 0;
  return {
    start(): void {
      busy0 = coreBusySeconds(core);
      own0 = ownCpuSeconds();
      t0 = performance.now();
    },
    stop(): number {
      const seconds = (performance.now() - t0) / 1000;
      const other = coreBusySeconds(core) - busy0 - (ownCpuSeconds() - own0);
      return seconds > 0 ? Math.max(0, (other / seconds) * 100) : 0;
    },
  };
}
