// How much of the machine something other than this benchmark used while it ran. On a shared or
// virtual machine, other processes and the hypervisor (steal) take cores the benchmark assumed it
// had; without this figure a bad ratio cannot be told apart from a noisy neighbour. Linux only.
const fs = require('node:fs');
const os = require('node:os');

/** Clock ticks: [busy, steal, total] over all CPUs, from the first line of /proc/stat. */
function machineTicks() {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { busy: user + nice + system + irq + softirq, steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
}

/** Clock ticks used by this process and its children that have exited (reaped by Node). */
function ownTicks() {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  // Fields after the parenthesised command name, which may itself contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime, cutime, cstime are fields 14-17 of the full line, 12-15 after the name.
  return fields
    .slice(11, 15)
    .map(Number)
    .reduce((a, b) => a + b, 0);
}

/** Call `stop()` once every child has exited, so their CPU time is counted as ours. */
function startCpuMeter() {
  if (!fs.existsSync('/proc/stat')) return { stop: () => null };
  const machine = machineTicks();
  const own = ownTicks();
  return {
    stop() {
      const m = machineTicks();
      const total = m.total - machine.total;
      const others = Math.max(0, m.busy - machine.busy - (ownTicks() - own));
      return { cores: os.availableParallelism(), otherShare: others / total, stealShare: (m.steal - machine.steal) / total };
    },
  };
}

/** The rows every benchmark ends with: how much of the machine others took while it ran. */
function noiseRows(meter) {
  const noise = meter.stop();
  if (!noise) return [];
  return [
    {
      metric: `CPU taken by other processes during the run (of ${noise.cores} cores)`,
      value: (noise.otherShare * 100).toFixed(0),
      unit: '%    (noise: high values make the figures above unreliable)',
    },
    { metric: 'CPU stolen by the hypervisor during the run', value: (noise.stealShare * 100).toFixed(0), unit: '%' },
  ];
}

module.exports = { startCpuMeter, noiseRows };
