/** Number formatting for the explanations people read (zh-CN and en share the digits). */

/** A number with up to `digits` significant digits, no exponent for everyday magnitudes. */
export function num(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const magnitude = Math.abs(x);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e9)) return x.toExponential(digits - 1);
  return String(Number(x.toPrecision(digits)));
}

/** A share as a percentage, e.g. 0.1234 → '12.3%'. */
export function pct(share: number, digits = 1): string {
  return `${(share * 100).toFixed(digits)}%`;
}

/** A p- or q-value: small ones in exponent form so they never print as 0. */
export function prob(p: number): string {
  if (p === 0) return '0';
  if (p < 1e-4) return p.toExponential(1);
  return String(Number(p.toPrecision(2)));
}

/** ', q = …' (en) / '，q = …' (zh-CN) when the runner gave a q-value, else ''. */
export function qSuffix(q: number | null): { zh: string; en: string } {
  if (q === null) return { zh: '', en: '' };
  return { zh: `，多重检验校正后 q = ${prob(q)}`, en: `, q = ${prob(q)} after multiple-testing correction` };
}
