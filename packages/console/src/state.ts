import { type Lang, type TextKey, translate } from './i18n.js';

/** What the console knows: the language, the key (sessionStorage only) and who it belongs to. */
export interface Me {
  keyId: string;
  name: string;
  role: 'ops' | 'inspector' | 'owner' | 'admin';
  platformIds: string[];
}

const KEY_STORAGE = 'tracewatch.key';
const LANG_STORAGE = 'tracewatch.lang';

export const state: { lang: Lang; me: Me | undefined } = {
  lang: localStorage.getItem(LANG_STORAGE) === 'en' ? 'en' : 'zh-CN',
  me: undefined,
};

export const t = (key: TextKey, vars?: Record<string, string | number>) => translate(state.lang, key, vars);

export function setLang(lang: Lang): void {
  state.lang = lang;
  localStorage.setItem(LANG_STORAGE, lang);
  document.documentElement.lang = lang;
}

export const storedKey = () => sessionStorage.getItem(KEY_STORAGE) ?? undefined;
export const storeKey = (key: string) => sessionStorage.setItem(KEY_STORAGE, key);
export const forgetKey = () => sessionStorage.removeItem(KEY_STORAGE);
