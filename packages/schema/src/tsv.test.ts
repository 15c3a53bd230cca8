import { describe, expect, it } from 'vitest';
import { toTsv, tsvField } from './tsv.js';

describe('tsvField', () => {
  it('escapes what TabSeparated treats specially and nothing else', () => {
    expect(tsvField('plain 评估')).toBe('plain 评估');
    expect(tsvField('a\tb\nc\\d\re\0f')).toBe('a\\tb\\nc\\\\d\\re\\0f');
    expect(tsvField("it's")).toBe("it's");
  });
  it('writes null as \\N and refuses what would change meaning', () => {
    expect(tsvField(null)).toBe('\\N');
    expect(tsvField(undefined)).toBe('\\N');
    expect(tsvField(12.5)).toBe('12.5');
    expect(() => tsvField(Number.NaN)).toThrow(RangeError);
    expect(() => tsvField({})).toThrow(TypeError);
  });
});

describe('toTsv', () => {
  it('writes the columns in the order given, one line per row', () => {
    expect(
      toTsv(
        [
          { b: 2, a: 'x' },
          { a: null, b: 3 },
        ],
        ['a', 'b'],
      ),
    ).toBe('x\t2\n\\N\t3\n');
  });
});
