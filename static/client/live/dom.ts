/**
 * Small DOM helpers for the contest-day pages: element building without innerHTML (text is
 * always set as text), JSON from data attributes, and the page's translations. No inline styles:
 * state is shown with classes and `hidden`.
 */

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined>;

/** Creates an element; attribute `class` sets the class list, `true` sets a boolean attribute. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === 'style') continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** Parses a JSON data attribute; null when absent or malformed. */
export function dataJson<T>(el: HTMLElement, name: string): T | null {
  const raw = el.dataset[name];
  if (!raw) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

/**
 * Where the public /screen namespace is: on the audience process when the page names one
 * (data-audience-url, an origin), else on this server.
 */
export function screenNamespaceUrl(el: HTMLElement): string {
  const audience = el.dataset.audienceUrl;
  return audience ? `${audience}/screen` : '/screen';
}

export type Params = Record<string, string | number | null | undefined>;
export type Translate = (key: string, params?: Params) => string;

/** The `live.*` messages the server put on the page (data-i18n), with `{name}` interpolation. */
export function translator(el: HTMLElement): Translate {
  const messages = dataJson<Record<string, string>>(el, 'i18n') ?? {};
  return (key, params) => {
    const template = messages[key] ?? key;
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      return value === undefined || value === null ? whole : String(value);
    });
  };
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T | null {
  return document.getElementById(id) as T | null;
}

/** Replaces an element's children. */
export function fill(el: Element | null, ...children: (Child | Child[])[]): void {
  if (!el) return;
  el.replaceChildren();
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** "3 分钟前" from an ISO time, using the server clock offset. */
export function ago(iso: string | null, t: Translate, offsetMs = 0): string {
  if (!iso) return t('live.progress.never');
  const seconds = Math.max(0, Math.round((Date.now() + offsetMs - Date.parse(iso)) / 1000));
  if (seconds < 10) return t('live.progress.justNow');
  if (seconds < 60) return t('live.progress.secondsAgo', { n: seconds });
  if (seconds < 3600) return t('live.progress.minutesAgo', { n: Math.floor(seconds / 60) });
  return t('live.progress.hoursAgo', { n: Math.floor(seconds / 3600) });
}
