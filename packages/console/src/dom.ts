type Child = Node | string | null | undefined | false;

/** An element with attributes and children; text is always set as text, never parsed as HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

export function clear(el: Element): void {
  while (el.firstChild) el.firstChild.remove();
}

export const percent = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)} %`);
export const decimal = (x: number | null, digits = 2) => (x === null ? '–' : x.toFixed(digits));

/** YYYY-MM-DD of a date in Beijing time. */
export function shanghaiDay(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(ms));
}

/** YYYY-MM-DD hh:mm of an instant in Beijing time. */
export function shanghaiTime(iso: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

/** Counts queries in flight on <body data-busy>, so a reader (or a test) knows the page is settled. */
export async function whileBusy<T>(work: () => Promise<T>): Promise<T> {
  const set = (d: number) => {
    document.body.dataset.busy = String(Number(document.body.dataset.busy ?? '0') + d);
  };
  set(1);
  try {
    return await work();
  } finally {
    set(-1);
  }
}
