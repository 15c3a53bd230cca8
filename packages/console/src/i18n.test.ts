import { describe, expect, it } from 'vitest';
import { DICTIONARY, translate } from './i18n.js';

const CJK = /[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]/;

describe('the console dictionary', () => {
  it('has every key in both languages, with the same placeholders', () => {
    const zh = DICTIONARY['zh-CN'];
    const en = DICTIONARY.en;
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(zh) as (keyof typeof zh)[]) expect(vars(en[k]), k).toEqual(vars(zh[k]));
  });
  it('English texts hold no Chinese (but the switch to 中文), Chinese texts are Chinese', () => {
    for (const [k, v] of Object.entries(DICTIONARY.en)) if (k !== 'lang.switch') expect(v, k).not.toMatch(CJK);
    for (const [k, v] of Object.entries(DICTIONARY['zh-CN']))
      if (!['lang.switch', 'key.placeholder', 'ind.dauMau', 'app.title'].includes(k)) expect(v, k).toMatch(CJK);
  });
  it('fills placeholders', () => {
    expect(translate('en', 'ind.hours', { n: 9.5 })).toBe('9.5 h');
    expect(translate('zh-CN', 'key.signedIn', { name: 'a', role: '管理员' })).toBe('a（管理员）');
  });
});
