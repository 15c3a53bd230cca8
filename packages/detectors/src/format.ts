/** Number formatting for explanations, the same in both languages (1,234 · 3.1 · q=0.0002). */

/** A count with thousands separators: 1234 → "1,234". */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A ratio or rate with `digits` decimals: 3.14159 → "3.1". */
export function formatNumber(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : x < 0 ? '-∞' : '—';
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A share as a percentage: 0.237 → "23.7%". */
export function formatPercent(x: number, digits = 1): string {
  return `${formatNumber(x * 100, digits)}%`;
}

/**
 * A p- or q-value as a term: "q=0.0002", "p=3.1e-7", "p<1e-12" (two significant digits; smaller
 * values are reported as a bound because the approximations behind them are not that exact).
 */
export function formatProbability(name: string, p: number | null): string {
  if (p === null || Number.isNaN(p)) return `${name}=—`;
  if (p < 1e-12) return `${name}<1e-12`;
  if (p >= 0.0001) return `${name}=${Number(p.toPrecision(2)).toString()}`;
  return `${name}=${p.toExponential(1)}`;
}
