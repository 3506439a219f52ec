// SPDX-License-Identifier: Apache-2.0
/**
 * @module The UI's two languages: Simplified Chinese (default, GB/T 38962 vocabulary) and English.
 * The strings live in `locales/`; this is the one lookup, plus a checked lookup for keys built at
 * run time (a rule id from the server) that falls back to the server's own text.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en } from './locales/en.js';
import { zh, type MessageKey } from './locales/zh.js';

export type { MessageKey };
export type Lang = 'zh' | 'en';

export function translate(lang: Lang, key: MessageKey): string {
  return lang === 'en' ? en[key] : zh[key];
}

/** Whether `key` names a string (for keys composed from server data, e.g. `rule.<id>`). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(zh, key);
}

export const LangContext = createContext<Lang>('zh');

/** The lookup for the current language. */
export function useT(): (key: MessageKey) => string {
  const lang = useContext(LangContext);
  return (key) => translate(lang, key);
}

/** The current language (for labels composed outside `t`, e.g. the notice language). */
export function useLang(): Lang {
  return useContext(LangContext);
}

export function initialLang(): Lang {
  const saved = localStorage.getItem('healthcode.lang');
  return saved === 'en' ? 'en' : 'zh';
}
