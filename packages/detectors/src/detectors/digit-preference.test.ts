import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binomialSf, chiSquareSf } from '../stats/index.js';
import type { TestOutcome, TraceRecord } from '../types.js';
import {
  benfordFit,
  createDigitPreferenceDetector,
  DIGIT_NULL_KERNEL,
  firstDigit,
  heapingProbability,
  isWholePercent,
  lastDigitChiSquare,
  nigriniFirstDigitConformity,
  poissonBinomialUpperTail,
  smoothLastDigitNull,
} from './digit-preference.js';
import { context, observeOnce, plain, shuffled, traceRecord } from './support/fixtures.js';
import { mulberry32 } from './support/prng.js';

/** Half the property runs keep everything, half a short retention window (1–40 days). */
const retentionFor = (seed: number) => (seed % 2 === 0 ? 400 : 1 + (Math.abs(seed) % 40));

/** The 1,000-unit calibrations take 1–3 s on a quiet 2-core machine: ≥ 5× headroom when loaded. */
const SIMULATION_TIMEOUT_MS = 60_000;

const MARCH = Date.parse('2026-03-10T10:00:00+08:00');
const AFTER_MARCH = context(Date.parse('2026-04-01T00:00:00+08:00'));

function run(records: readonly TraceRecord[], ctx = AFTER_MARCH, options = {}): TestOutcome[] {
  const detector = createDigitPreferenceDetector(options);
  for (const r of records) detector.observe(r);
  return detector.evaluate(ctx);
}

const values = (list: readonly number[], denominators?: readonly number[]) =>
  list.map((value, i) =>
    traceRecord({ value, valueDenominator: denominators?.[i], occurredAt: MARCH + i * 60_000, actorId: `a${i % 7}` }),
  );

/** 100 values ≥ 20: 28 end in 0 (20…90, 120…190, 220…290, 320…350), 8 end in each of 1–9 (t1…t9, t = 2…9). */
function roundedValues(): number[] {
  const zeros = [20, 30, 40, 50, 60, 70, 80, 90].flatMap((v) => [v, v + 100, v + 200]).concat([320, 330, 340, 350]);
  const others = [1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((d) => [2, 3, 4, 5, 6, 7, 8, 9].map((t) => 10 * t + d));
  return [...zeros, ...others];
}

/** One rounded lognormal draw (Box–Muller). */
function lognormalCount(random: () => number, median: number, sigma: number): number {
  const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.round(median * Math.exp(sigma * z));
}

/** Honest counts ≥ 10: lognormal around 60 (σ = 0.6 in log space), rounded, seeded. */
function honestCounts(count: number, seed: number, sigma = 0.6, median = 60): number[] {
  const random = mulberry32(seed);
  const out: number[] = [];
  while (out.length < count) {
    const v = lognormalCount(random, median, sigma);
    if (v >= 10) out.push(v);
  }
  return out;
}

describe('digit helpers', () => {
  it('last-digit χ² by hand', () => {
    const { counts, chiSquare } = lastDigitChiSquare(roundedValues());
    expect(counts).toEqual([28, 8, 8, 8, 8, 8, 8, 8, 8, 8]);
    // expected 10 each: (28 − 10)²/10 + 9·(8 − 10)²/10 = 32.4 + 3.6 = 36
    expect(chiSquare).toBeCloseTo(36, 12);
    expect(lastDigitChiSquare([]).chiSquare).toBe(0);
    // against shares 0.2 for digit 0 and 0.8/9 for the others: (28 − 20)²/20 + 9·(8 − 80/9)²/(80/9)
    // = 3.2 + 9·(64/81)/(80/9) = 3.2 + 0.8 = 4
    const shares = [0.2, ...new Array<number>(9).fill(0.8 / 9)];
    expect(lastDigitChiSquare(roundedValues(), shares).chiSquare).toBeCloseTo(4, 12);
  });
  it('the last-digit null: a kernel blind to digits, uniform away from the cut, shaped at the cut', () => {
    // weights sum to 1, every residue mod 10 gets 1/10, the second moment is 0
    const residues = new Array<number>(10).fill(0);
    let sum = 0;
    let second = 0;
    DIGIT_NULL_KERNEL.forEach((w, i) => {
      residues[(i + 100) % 10]! += w;
      sum += w;
      second += w * (i - 10) ** 2;
    });
    expect(sum).toBeCloseTo(1, 12);
    for (const r of residues) expect(r).toBeCloseTo(0.1, 12);
    expect(second).toBeCloseTo(0, 10);
    // values ≥ 20 only: the fit's digits are exactly uniform, whatever the values' digits
    const far = smoothLastDigitNull(roundedValues())!;
    for (const share of far.digitShares) expect(share).toBeCloseTo(0.1, 12);
    // one value u = 15: 1.34·B₁₀ lies on 10…20 (all ≥ 10: mass 1, 0.1 per digit, 10 and 20 half each);
    // −0.34·B₂₀ on 5…25, of which 10…24 (1/20 each: digits 0–4 twice, 5–9 once) and 25 (1/40) are
    // ≥ 10: mass 0.775. Total 1.34 − 0.34·0.775 = 1.0765. Digit 0: 1.34·0.1 − 0.34·0.1 = 0.1;
    // digit 9: 0.134 − 0.34·0.05 = 0.117; digit 5: 0.134 − 0.34·0.075 = 0.1085.
    const at15 = smoothLastDigitNull([15])!;
    expect(at15.digitShares[0]).toBeCloseTo(0.1 / 1.0765, 12);
    expect(at15.digitShares[9]).toBeCloseTo(0.117 / 1.0765, 12);
    expect(at15.digitShares[5]).toBeCloseTo(0.1085 / 1.0765, 12);
    // a lone 10 leaves digits 6–9 with negative weight only: no fit
    expect(smoothLastDigitNull([10])).toBeNull();
    expect(smoothLastDigitNull([])).toBeNull();
  });
  it('first digits and Benford MAD by hand', () => {
    expect([0.0301, 7, 1e21, 999, 0, -5].map(firstDigit)).toEqual([3, 7, 1, 9, undefined, undefined]);
    // every first digit equally often (1/9): |1/9 − log10(1 + 1/d)| for d = 1…9 =
    // .18992 .06498 .01383 .01420 .03193 .04416 .05312 .05996 .06535 → sum .53745, MAD = .059717
    const uniform = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => d * 10);
    expect(benfordFit(uniform).mad).toBeCloseTo(0.059717, 5);
    expect(benfordFit([]).mad).toBe(0);
    expect(nigriniFirstDigitConformity(0.006)).toBe('close');
    expect(nigriniFirstDigitConformity(0.012)).toBe('acceptable');
    expect(nigriniFirstDigitConformity(0.015)).toBe('marginal');
    expect(nigriniFirstDigitConformity(0.0151)).toBe('nonconforming');
  });
  it('whole percents, including the exact ±0.05 boundary', () => {
    expect(isWholePercent(120, 1000)).toBe(true); // 12.0 %
    expect(isWholePercent(125, 1000)).toBe(false); // 12.5 %
    expect(isWholePercent(241, 2000)).toBe(true); // 12.05 %: on the boundary
    expect(isWholePercent(242, 2000)).toBe(false); // 12.1 %
    expect(isWholePercent(0, 300)).toBe(true);
    expect(isWholePercent(1, 3000)).toBe(true); // 0.033 %
  });
  it('heaping probability of a redraw, against closed forms', () => {
    // b = 100: every numerator is a whole percent
    expect(heapingProbability(37, 100)).toBeCloseTo(1, 12);
    // b = 200: heaped iff a* is even; P(even) = (1 + (1 − 2p)^b)/2; a = 1: p = 0.005,
    // 0.99^200 = 0.133980 → 0.566990
    expect(heapingProbability(1, 200)).toBeCloseTo((1 + 0.99 ** 200) / 2, 8);
    // b = 1000: heaped iff a* ≡ 0 (mod 10); p = 0.5 makes the ten residues almost equal → 0.1
    expect(heapingProbability(500, 1000)).toBeCloseTo(0.1, 6);
    // cannot move at p = 0 or 1
    expect(heapingProbability(0, 1000)).toBe(1);
    expect(heapingProbability(1000, 1000)).toBe(1);
  });
  it('Poisson-binomial tail, exact: by hand and against the binomial far tail', () => {
    expect(poissonBinomialUpperTail([0.5], 1)).toEqual({ pValue: 0.5, mean: 0.5 });
    expect(poissonBinomialUpperTail([0.5, 0.5], 1).pValue).toBeCloseTo(0.75, 15);
    expect(poissonBinomialUpperTail([1, 1, 1], 3).pValue).toBe(1);
    expect(poissonBinomialUpperTail([0, 0], 1).pValue).toBe(0); // impossible under the null
    // q = 0.2, 0.5, 0.9, H ≥ 2: all three 0.09; exactly two 0.2·0.5·0.1 + 0.2·0.5·0.9 + 0.8·0.5·0.9
    // = 0.01 + 0.09 + 0.36 → 0.55
    expect(poissonBinomialUpperTail([0.2, 0.5, 0.9], 2).pValue).toBeCloseTo(0.55, 15);
    // equal q is the binomial: P(Binomial(200, 0.1) ≥ 80) ≈ 1e-26, far below any Monte Carlo floor
    const equal = poissonBinomialUpperTail(new Array<number>(200).fill(0.1), 80).pValue;
    expect(equal / binomialSf(80, 200, 0.1)).toBeCloseTo(1, 9);
    expect(equal).toBeLessThan(1e-20);
  });
});

describe('digit-preference detector', () => {
  it('fires on invented round numbers: χ² = 36, round shares by the binomial', () => {
    const outcomes = run(values(roundedValues()));
    const last = outcomes.find((o) => o.rule === 'last-digit')!;
    expect(last.statistics.chiSquare).toBeCloseTo(36, 12);
    expect(last.pValue).toBeCloseTo(chiSquareSf(36, 9), 15);
    expect(last.pValue!).toBeLessThan(1e-4);
    expect(last.statistics.cohensW).toBeCloseTo(0.6, 12); // √(36/100)
    expect(last.effectMet).toBe(true);
    expect(last.period).toEqual({ start: '2026-03-01', end: '2026-03-31' });
    expect(last.scope).toEqual({ kind: 'org', platformId: 'p1', orgId: 'o1' });
    const round10 = outcomes.find((o) => o.rule === 'round-10')!;
    expect(round10.statistics.hits).toBe(28);
    expect(round10.pValue).toBeCloseTo(binomialSf(28, 100, 0.1), 12); // the fit is uniform above 20
    expect(round10.effectMet).toBe(true);
    const round5 = outcomes.find((o) => o.rule === 'round-5')!;
    expect(round5.statistics.hits).toBe(36); // 28 zeros + 8 fives
    expect(round5.effectMet).toBe(true);
    const repeated = outcomes.find((o) => o.rule === 'repeated-last-two')!;
    expect(repeated.statistics.hits).toBe(8); // 22, 33, …, 99
    expect(repeated.effectMet).toBe(false);
    expect(last.explain(0.001).en).toContain('χ² = 36');
    expect(last.explain(0.001)['zh-CN']).toContain('末位');
  });

  it('stays silent on honest counts', () => {
    const outcomes = run(values(honestCounts(400, 11)));
    const org = outcomes.filter((o) => o.scope.kind === 'org');
    expect(org.map((o) => o.rule).sort()).toEqual(['last-digit', 'repeated-last-two', 'round-10', 'round-5']);
    // 7 actors with ~57 values each: each tested on its own too
    expect(outcomes.filter((o) => o.rule === 'last-digit-actor').length).toBe(7);
    for (const o of outcomes) expect(o.effectMet && o.pValue! <= 0.01).toBe(false);
  });

  it('one actor rounding among honest colleagues: diluted for the org, found for the actor', () => {
    // 20 honest actors × 100 values and one actor whose 60 values are all multiples of 10
    // (20, 30, …, 200 repeated): the org's multiples of 10 stay near 1.26× expected, the actor's are 10×
    const honest = honestCounts(2000, 21).map((value, i) =>
      traceRecord({ value, actorId: `h${i % 20}`, occurredAt: MARCH + i * 60_000 }),
    );
    const rounder = Array.from({ length: 60 }, (_, i) =>
      traceRecord({ value: 20 + 10 * (i % 19), actorId: 'rounder', occurredAt: MARCH + i * 60_000 }),
    );
    const outcomes = run([...honest, ...rounder]);
    const org = outcomes.find((o) => o.rule === 'round-10')!;
    expect(org.effectMet).toBe(false);
    const actor = outcomes.find((o) => o.rule === 'round-10-actor' && o.scope.actorId === 'rounder')!;
    expect(actor.scope).toEqual({ kind: 'actor', platformId: 'p1', orgId: 'o1', actorId: 'rounder' });
    expect(actor.statistics.hits).toBe(60);
    expect(actor.statistics.expectedShare).toBeCloseTo(0.1, 12); // all values ≥ 20: the fit is uniform
    expect(actor.pValue).toBeCloseTo(0.1 ** 60, 70);
    expect(actor.effectMet).toBe(true);
    expect(actor.explain(1e-50).en).toContain('reported by actor rounder of org o1');
    const lastDigit = outcomes.find((o) => o.rule === 'last-digit-actor' && o.scope.actorId === 'rounder')!;
    expect(lastDigit.effectMet).toBe(true);
    // a single actor is the org: no separate actor tests
    expect(run(rounder).some((o) => o.scope.kind === 'actor')).toBe(false);
  });

  it('minimum sample and the applicability of last digits', () => {
    const honest = honestCounts(50, 3);
    expect(run(values(honest.slice(0, 49)))).toEqual([]);
    expect(run(values(honest)).length).toBe(4);
    // honest counts narrower than ten integers (median 14, σ 0.3: IQR ≈ 6): no free last digit, no test
    expect(run(values(honestCounts(400, 4, 0.3, 14)))).toEqual([]);
    // one actor reporting counts around 12 (IQR ≈ 2) is left out, the others are tested
    const low = honestCounts(120, 5, 0.15, 12).map((value, i) =>
      traceRecord({ value, actorId: 'low', occurredAt: MARCH + i * 60_000 }),
    );
    const outcomes = run([...values(honest), ...low]);
    expect(outcomes.find((o) => o.rule === 'last-digit')!.statistics.n).toBe(50);
    // a month still in progress is not judged
    expect(run(values(honest), context(Date.parse('2026-03-31T12:00:00+08:00')))).toEqual([]);
  });

  it(
    'last-digit null holds for small skewed honest values (1,000 units, medians 15–60, n 100–1,000)',
    () => {
      // Each unit: 1–3 actors, each with its own lognormal (median 15–60, σ 0.3–1.0) of rounded
      // counts (those < 10 kept, as honest data has them), 100–1,000 values in all, one month.
      const random = mulberry32(20261201);
      const records: TraceRecord[] = [];
      const unitValues: number[][] = [];
      const units = 1000;
      for (let u = 0; u < units; u++) {
        const actors = 1 + Math.floor(random() * 3);
        const n = 100 + Math.floor(random() * 901);
        const own: number[] = [];
        const params = Array.from({ length: actors }, () => ({
          median: 15 + random() * 45,
          sigma: 0.3 + random() * 0.7,
        }));
        for (let i = 0; i < n; i++) {
          const a = i % actors;
          const value = lognormalCount(random, params[a]!.median, params[a]!.sigma);
          own.push(value);
          records.push(
            traceRecord({ orgId: `u${u}`, actorId: `u${u}-a${a}`, value, occurredAt: MARCH + (i % 20_000) * 60_000 }),
          );
        }
        unitValues.push(own);
      }
      const outcomes = run(records);
      const lastDigit = outcomes.filter((o) => o.rule === 'last-digit');
      const tested = lastDigit.length;
      expect(tested).toBeGreaterThan(0.9 * units); // the narrow actors left out cost few units
      // nominal level ± 3 binomial standard errors over the tested units
      const bound = (alpha: number) => alpha + 3 * Math.sqrt((alpha * (1 - alpha)) / tested);
      for (const rule of [
        'last-digit',
        'round-5',
        'round-10',
        'repeated-last-two',
        'last-digit-actor',
        'round-10-actor',
      ]) {
        const ps = outcomes.filter((o) => o.rule === rule).map((o) => o.pValue!);
        for (const alpha of [0.01, 0.05]) {
          const rate = ps.filter((p) => p <= alpha).length / ps.length;
          console.log(`digit null calibration: ${rule}, ${ps.length} tests, share p ≤ ${alpha}: ${rate}`);
          expect(rate, `${rule} at ${alpha}`).toBeLessThanOrEqual(bound(alpha));
        }
      }
      // against equal shares (the old null) the same honest units fire far above the level
      const uniformFalse = unitValues.filter((own) => {
        const atLeast10 = own.filter((v) => v >= 10);
        return chiSquareSf(lastDigitChiSquare(atLeast10).chiSquare, 9) <= 0.01;
      }).length;
      console.log(`digit null calibration: equal shares, share p ≤ 0.01: ${uniformFalse / units}`);
      expect(uniformFalse / units).toBeGreaterThan(bound(0.01));
    },
    SIMULATION_TIMEOUT_MS,
  );

  it('rates heaped on whole percents fire; b = 100 never can', () => {
    const random = mulberry32(5);
    const denominators = Array.from({ length: 100 }, () => 1000 + Math.floor(random() * 1000));
    const invented = denominators.map((b) => Math.round((b * (60 + Math.floor(random() * 35))) / 100));
    const heaped = run(values(invented, denominators)).find((o) => o.rule === 'rate-heaping')!;
    expect(heaped.statistics.heaped).toBe(100);
    // null: about one numerator in 10–20 lands on a whole percent, so E[H*] ≈ 5–10
    expect(heaped.statistics.expectedHeaped).toBeGreaterThan(3);
    expect(heaped.statistics.expectedHeaped).toBeLessThan(15);
    // exact tail: far below the 1/10,001 floor a Monte Carlo test of 10,000 draws would have
    expect(heaped.pValue!).toBeLessThan(1e-50);
    expect(heaped.effectMet).toBe(true);
    const honestA = denominators.map((b) => Math.floor(random() * b));
    const honest = run(values(honestA, denominators)).find((o) => o.rule === 'rate-heaping')!;
    expect(honest.pValue!).toBeGreaterThan(0.01);
    const hundred = run(
      values(
        invented.map((_, i) => 50 + (i % 40)),
        new Array(100).fill(100),
      ),
    );
    const coarse = hundred.find((o) => o.rule === 'rate-heaping')!;
    expect(coarse.pValue).toBeCloseTo(1, 9); // every redraw is heaped
    expect(coarse.effectMet).toBe(false);
  });

  it(
    'rate heaping: rates within 10 of the bound are left out; honest rates near 100 % stay at the level',
    () => {
      // 99.5 % of 800 (minority 4) and 1 % of 1000 (minority 10: kept)
      const edge = run(values([...new Array(60).fill(796), ...new Array(60).fill(10)], new Array(120).fill(800)));
      const r = edge.find((o) => o.rule === 'rate-heaping')!;
      expect(r.statistics.n).toBe(60);
      expect(r.statistics.leftOutAtBoundary).toBe(60);
      // 1,000 honest units of turnout-like rates: b 100–1,000, true rate 0.5–0.999 (many near 100 %)
      const random = mulberry32(99);
      const records: TraceRecord[] = [];
      for (let u = 0; u < 1000; u++) {
        for (let i = 0; i < 80; i++) {
          const b = 100 + Math.floor(random() * 901);
          const p = 0.5 + 0.499 * Math.sqrt(random());
          let a = 0;
          for (let k = 0; k < b; k++) if (random() < p) a++;
          records.push(traceRecord({ orgId: `u${u}`, value: a, valueDenominator: b, occurredAt: MARCH + i * 60_000 }));
        }
      }
      const falseShare = (minMinorityCount: number) => {
        const ps = run(records, AFTER_MARCH, { minMinorityCount })
          .filter((o) => o.rule === 'rate-heaping')
          .map((o) => o.pValue!);
        return ps.filter((p) => p <= 0.01).length / ps.length;
      };
      const kept = falseShare(10);
      console.log(`rate heaping, 1,000 honest units with rates up to 99.9 %, share p ≤ 0.01: ${kept}`);
      expect(kept).toBeLessThanOrEqual(0.01 + 3 * Math.sqrt(0.0099 / 1000));
      // the bias the rule removes: redrawn from observed rates at 99–100 % (b 150–400), the null
      // expects more heaped rates than honest rates give (it hides heaping where rates are highest)
      const near: TraceRecord[] = [];
      for (let i = 0; i < 400; i++) {
        const b = 150 + Math.floor(random() * 251);
        let a = 0;
        for (let k = 0; k < b; k++) if (random() < 0.995) a++;
        near.push(traceRecord({ value: a, valueDenominator: b, occurredAt: MARCH + i * 60_000 }));
      }
      const naive = run(near, AFTER_MARCH, { minMinorityCount: 0 }).find((o) => o.rule === 'rate-heaping')!;
      console.log(
        `rate heaping at 99.5 %: heaped ${naive.statistics.heaped}, naive E[H*] ${naive.statistics.expectedHeaped}`,
      );
      expect(naive.statistics.expectedHeaped! - naive.statistics.heaped!).toBeGreaterThan(
        3 * Math.sqrt(naive.statistics.expectedHeaped!),
      );
      expect(run(near).find((o) => o.rule === 'rate-heaping')).toBeUndefined(); // all within 10 of the bound
    },
    SIMULATION_TIMEOUT_MS,
  );

  it('rate heaping: a heaped unit keeps its finding however many honest units are added (no p floor)', () => {
    // 200 rates, b 1,000–2,000, 40 % of them put on whole percents
    const random = mulberry32(3);
    const b = Array.from({ length: 200 }, () => 1000 + Math.floor(random() * 1000));
    const a = b.map((d, i) =>
      i % 5 < 2 ? Math.round((d * (60 + (i % 30))) / 100) : Math.round(d * (0.6 + random() * 0.3)),
    );
    const heaped = run(values(a, b)).find((o) => o.rule === 'rate-heaping')!;
    // E[H*] ≈ 200 × 0.1 = 20 + chance; H ≈ 80 + 12: p far below 0.01 / 10,000 (BH over 10,000 units)
    expect(heaped.pValue! * 10_000).toBeLessThan(0.01);
    expect(heaped.effectMet).toBe(true);
  });

  it('Benford: only with ≥ 300 values over two orders of magnitude; uniform first digits fail it', () => {
    // 450 values, 50 per first digit, spread over 10 … 99,999: MAD = 0.059717 (see above)
    const uniformDigits = [1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((d) =>
      Array.from({ length: 50 }, (_, i) => d * 10 ** (1 + (i % 4)) + (i % 7)),
    );
    const benford = run(values(uniformDigits)).find((o) => o.rule === 'benford')!;
    expect(benford.statistics.mad).toBeCloseTo(0.059717, 5);
    expect(benford.effectMet).toBe(true);
    expect(benford.evidence.conformity).toBe('nonconforming');
    expect(benford.pValue).toBeNull();
    const narrow = uniformDigits.map((v) => 1000 + (v % 9000));
    expect(run(values(narrow)).find((o) => o.rule === 'benford')).toBeUndefined();
    // max/min ≥ 100 from two outliers is not a spread: P90/P10 < 100, not performed
    const outliers = [...honestCounts(400, 12), 1, 5000];
    expect(run(values(outliers)).find((o) => o.rule === 'benford')).toBeUndefined();
    expect(run(values(uniformDigits.slice(0, 299))).find((o) => o.rule === 'benford')).toBeUndefined();
    const broad = honestCounts(3000, 9, 2.5, 500);
    const honest = run(values(broad)).find((o) => o.rule === 'benford')!;
    expect(honest.statistics.mad).toBeLessThan(0.012);
    expect(honest.effectMet).toBe(false);
  });

  it('a month older than the retention window is no longer judged', () => {
    const late = traceRecord({ value: 5, occurredAt: Date.parse('2027-08-01T10:00:00+08:00') });
    const later = context(Date.parse('2027-09-01T00:00:00+08:00'));
    expect(run([...values(roundedValues()), late], later)).toEqual([]);
    expect(run([...values(roundedValues()), late], later, { retentionDays: 600 }).length).toBeGreaterThan(0);
  });

  it('never throws and gives the same outcomes in any order or split (property)', () => {
    const row = fc.record({
      value: fc.oneof(fc.integer({ min: -5, max: 400 }), fc.double({ min: 0, max: 1e6, noNaN: true })),
      denominator: fc.option(fc.integer({ min: 1, max: 3000 }), { nil: undefined }),
      org: fc.integer({ min: 0, max: 1 }),
      minute: fc.integer({ min: 0, max: 60 * 24 * 45 }),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 40, maxLength: 160 }), fc.integer(), (rows, seed) => {
        const records = rows.map((r, i) =>
          traceRecord({
            id: `e${i}`,
            orgId: `o${r.org}`,
            value: r.value,
            valueDenominator: r.denominator,
            occurredAt: Date.parse('2026-02-20T00:00:00+08:00') + r.minute * 60_000,
          }),
        );
        const options = {
          minValues: 10,
          minRates: 10,
          minBenfordValues: 30,
          monteCarloDraws: 200,
          retentionDays: retentionFor(seed),
        };
        const once = plain(run(records, AFTER_MARCH, options));
        const detector = createDigitPreferenceDetector(options);
        const observe = observeOnce(detector); // replays dropped as by the engine
        const mixed = shuffled(records, mulberry32(seed));
        for (const r of mixed.slice(0, 20)) observe(r);
        detector.evaluate(AFTER_MARCH);
        for (const r of mixed.slice(20)) observe(r);
        for (const r of mixed.slice(0, 3)) observe(r);
        expect(plain(detector.evaluate(AFTER_MARCH))).toEqual(once);
      }),
      { numRuns: 40 },
    );
  });
});
