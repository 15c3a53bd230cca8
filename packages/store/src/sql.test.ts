import { describe, expect, it } from 'vitest';
import { sqlDateTime, sqlIdentifier, sqlNumber, sqlString, sqlStringList } from './sql.js';

describe('sqlString', () => {
  it('quotes and escapes quotes, backslashes and control characters', () => {
    expect(sqlString("it's")).toBe("'it\\'s'");
    expect(sqlString('a\\b')).toBe("'a\\\\b'");
    expect(sqlString('line\nnext\ttab\r\0')).toBe("'line\\nnext\\ttab\\r\\0'");
    expect(sqlString("\\'")).toBe("'\\\\\\''");
  });
  it('leaves other text, including unicode, as it is', () => {
    expect(sqlString('评估 ✓ "double"')).toBe(`'评估 ✓ "double"'`);
  });
});

describe('other literals', () => {
  it('numbers must be finite', () => {
    expect(sqlNumber(1.5)).toBe('1.5');
    expect(() => sqlNumber(Number.NaN)).toThrow(RangeError);
    expect(() => sqlNumber(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
  it('date-times are unix seconds', () => {
    expect(sqlDateTime(Date.UTC(2026, 0, 1, 0, 0, 1, 999))).toBe('toDateTime(1767225601)');
  });
  it('IN lists are escaped and never empty', () => {
    expect(sqlStringList(['a', "b'"])).toBe("('a', 'b\\'')");
    expect(() => sqlStringList([])).toThrow(RangeError);
  });
  it('identifiers are refused unless plain', () => {
    expect(sqlIdentifier('tracewatch_test_1')).toBe('tracewatch_test_1');
    for (const bad of ['', 'Drop', 'a;b', 'a b', '1abc', 'x`', `a${'b'.repeat(70)}`]) {
      expect(() => sqlIdentifier(bad)).toThrow(RangeError);
    }
  });
});
