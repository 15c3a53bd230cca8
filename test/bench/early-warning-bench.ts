/**
 * bench:early-warning — the burst-rising early warning on simulated worlds, judged as the live
 * service would (see packages/cli/src/early-warning.ts):
 *
 *   npm run bench:early-warning [-- --units 240 --months 12 --seeds 20260,1 --threshold h]
 *
 * 1. Clean worlds (no fabrication; the simulator's hard negatives kept): false alarms per honest
 *    pre-window, against the stated target (≤ 1 % per window, burst-rising.ts).
 * 2. Burst worlds (only the burst scenario, on 30 % of the units): the lead time — whole days
 *    between the first warning and the evaluation's start — and how many warnings the closed
 *    window confirmed.
 * A report: it exits 0 whether or not the target is met.
 */
import { measureEarlyWarning } from '@tracewatch/cli';

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const units = Number(argValue('units') ?? 240);
const months = Number(argValue('months') ?? 12);
const seeds = (argValue('seeds') ?? '20260,1').split(',').map(Number);
const threshold = argValue('threshold');
const detectors = threshold ? { 'burst-rising': { threshold: Number(threshold) } } : {};
const TARGET_FALSE_ALARM_RATE = 0.01;

let honest = 0;
let falseAlarms = 0;
let falseConfirmed = 0;
const leadDays: (number | null)[] = [];
let confirmed = 0;
for (const seed of seeds) {
  const started = performance.now();
  const clean = measureEarlyWarning({ seed, units, months, scenarioRate: 0 }, detectors);
  honest += clean.honestWindows;
  falseAlarms += clean.falseAlarms;
  falseConfirmed += clean.falseAlarmWindows.filter((w) => w.confirmed).length;
  const byHardNegative = new Map<string, number>();
  for (const w of clean.falseAlarmWindows) {
    const kind = w.hardNegative ?? 'none';
    byHardNegative.set(kind, (byHardNegative.get(kind) ?? 0) + 1);
  }
  console.log(
    `seed ${seed} clean: ${clean.events} events, ${clean.honestWindows} honest pre-windows, ${clean.falseAlarms} false alarms ` +
      `(${((100 * clean.falseAlarms) / Math.max(1, clean.honestWindows)).toFixed(2)} %; by overlapping hard negative: ` +
      `${[...byHardNegative].map(([k, n]) => `${k} ${n}`).join(', ') || '—'}) [${((performance.now() - started) / 1000).toFixed(0)} s]`,
  );
  const burst = measureEarlyWarning(
    {
      seed,
      units,
      months,
      scenarioRate: 0.3,
      scenarios: ['burst-before-evaluation'],
    },
    detectors,
  );
  for (const b of burst.bursts) {
    leadDays.push(b.leadDays);
    if (b.confirmed) confirmed++;
  }
  console.log(
    `seed ${seed} bursts: ${burst.bursts.length} bursts, lead days ${burst.bursts.map((b) => b.leadDays ?? '—').join(' ')}; ` +
      `honest windows of that world ${burst.honestWindows}, false alarms ${burst.falseAlarms}`,
  );
}

const histogram = new Map<string, number>();
for (const d of leadDays)
  histogram.set(d === null ? 'never' : String(d), (histogram.get(d === null ? 'never' : String(d)) ?? 0) + 1);
const warned = leadDays.filter((d): d is number => d !== null).sort((a, b) => a - b);
const rate = falseAlarms / Math.max(1, honest);
console.log('\nburst-rising early warning');
console.log(
  `  false alarms: ${falseAlarms} of ${honest} honest pre-windows = ${(100 * rate).toFixed(2)} % (target ≤ ${100 * TARGET_FALSE_ALARM_RATE} %: ${rate <= TARGET_FALSE_ALARM_RATE ? 'met' : 'NOT met'}); ` +
    `${falseConfirmed} of them confirmed by burst-before-evaluation after the window`,
);
console.log(
  `  lead time (days before the evaluation): ${[...histogram]
    .sort()
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ')}; ` +
    `median ${warned.length ? warned[Math.floor(warned.length / 2)] : '—'} of ${leadDays.length} bursts, ` +
    `${warned.length} warned, ${confirmed} confirmed after the window`,
);
