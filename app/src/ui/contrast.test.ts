/**
 * WCAG AA contrast of every text/background pair of ui/pairs.ts, in every
 * theme, with the values read from tokens.css itself (relative luminance,
 * WCAG 2.2 §1.4.3; translucent colours composited over what is under them).
 */
import { describe, expect, test } from 'vitest';
import tokensCss from './tokens.css?raw';
import { CONTRAST_PAIRS, THEMES, type Theme } from './pairs.js';

type Rgba = [number, number, number, number];

/** The custom properties each theme block declares itself. */
function parseThemes(css: string): Record<Theme, Map<string, string>> {
  const own: Record<Theme, Map<string, string>> = {
    staff: new Map(),
    display: new Map(),
    patient: new Map(),
  };
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  for (const [, selectors, body] of text.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    const themes = new Set<Theme>();
    for (const sel of selectors!.split(',').map((s) => s.trim())) {
      if (sel === ':root') themes.add('staff');
      const m = /^\[data-theme='(\w+)'\]$/.exec(sel);
      if (m && (THEMES as readonly string[]).includes(m[1]!)) themes.add(m[1] as Theme);
    }
    for (const [, name, value] of body!.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g))
      for (const th of themes) own[th].set(name!, value!.trim());
  }
  return own;
}

function parseColour(value: string, vars: Map<string, string>, seen: string[] = []): Rgba {
  const v = value.trim();
  const ref = /^var\((--[\w-]+)\)$/.exec(v);
  if (ref) {
    const name = ref[1]!;
    const target = vars.get(name);
    if (target === undefined || seen.includes(name))
      throw new Error(`${name} is undefined or circular`);
    return parseColour(target, vars, [...seen, name]);
  }
  if (v === 'transparent') return [0, 0, 0, 0];
  const hex = /^#([0-9a-f]{3,8})$/i.exec(v)?.[1];
  if (hex && [3, 4, 6, 8].includes(hex.length)) {
    const digits = hex.length <= 4 ? [...hex].map((c) => c + c) : hex.match(/../g)!;
    const [r, g, b, a = 'ff'] = digits.map((d) => d);
    return [parseInt(r!, 16), parseInt(g!, 16), parseInt(b!, 16), parseInt(a, 16) / 255];
  }
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[/,]\s*([\d.]+%?))?\s*\)$/.exec(
    v,
  );
  if (rgb) {
    const a = rgb[4] === undefined ? 1 : rgb[4].endsWith('%') ? parseFloat(rgb[4]) / 100 : +rgb[4];
    return [+rgb[1]!, +rgb[2]!, +rgb[3]!, a];
  }
  throw new Error(`cannot read the colour ${JSON.stringify(value)}`);
}

const over = (top: Rgba, under: Rgba): Rgba => {
  const a = top[3];
  return [0, 1, 2].map((i) => top[i]! * a + under[i]! * (1 - a)).concat(1) as Rgba;
};

function luminance([r, g, b]: Rgba): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function contrastRatio(text: Rgba, background: Rgba): number {
  const a = luminance(text);
  const b = luminance(background);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

const declared = parseThemes(tokensCss);
/** What an element of each theme sees: display and patient fall back to staff (`:root`). */
const themes = Object.fromEntries(
  THEMES.map((th) => [th, new Map([...declared.staff, ...declared[th]])]),
) as Record<Theme, Map<string, string>>;

describe('the contrast check itself', () => {
  test('black on white is 21:1 and a colour on itself 1:1', () => {
    expect(contrastRatio([0, 0, 0, 1], [255, 255, 255, 1])).toBeCloseTo(21, 5);
    expect(contrastRatio([11, 92, 173, 1], [11, 92, 173, 1])).toBe(1);
  });

  test('reads hex, rgb() and var() values', () => {
    const vars = new Map([
      ['--a', '#0b5cad'],
      ['--b', 'var(--a)'],
    ]);
    expect(parseColour('var(--b)', vars)).toEqual([11, 92, 173, 1]);
    expect(parseColour('#fff', vars)).toEqual([255, 255, 255, 1]);
    expect(parseColour('rgb(255 213 74 / 0.8)', vars)).toEqual([255, 213, 74, 0.8]);
  });

  test('finds the three themes in tokens.css', () => {
    for (const th of THEMES) expect(themes[th].get('--color-text'), th).toBeDefined();
    expect(themes.display.get('--color-text')).not.toBe(themes.staff.get('--color-text'));
  });
});

describe.each(THEMES)('the %s theme', (theme) => {
  const vars = themes[theme];

  test('defines every colour token itself', () => {
    const missing = [...declared.staff.keys()].filter(
      (k) => k.startsWith('--color-') && !declared[theme].has(k),
    );
    expect(missing, `${theme} theme lacks`).toEqual([]);
  });

  test('every text/background pair is at least WCAG AA', () => {
    const failures: string[] = [];
    for (const pair of CONTRAST_PAIRS) {
      if (pair.themes && !pair.themes.includes(theme)) continue;
      const page = parseColour('var(--color-page)', vars);
      const bg = over(parseColour(`var(${pair.background})`, vars), page);
      const fg = over(parseColour(`var(${pair.text})`, vars), bg);
      const ratio = contrastRatio(fg, bg);
      const min = pair.large ? 3 : 4.5;
      if (ratio < min)
        failures.push(
          `${theme}: ${pair.text} (${vars.get(pair.text)}) on ${pair.background} ` +
            `(${vars.get(pair.background)}) — ${pair.where} — is ${ratio.toFixed(2)}:1, ` +
            `needs ${min}:1${pair.large ? ' (large text)' : ''}`,
        );
    }
    expect(failures).toEqual([]);
  });
});

test('every text colour token is checked on some background', () => {
  const textTokens = new Set<string>();
  for (const th of THEMES)
    for (const name of themes[th].keys()) if (/^--color-.*text/.test(name)) textTokens.add(name);
  const paired = new Set(CONTRAST_PAIRS.map((p) => p.text));
  const unchecked = [...textTokens].filter((t) => !paired.has(t as `--color-${string}`));
  expect(unchecked, 'text tokens missing from ui/pairs.ts').toEqual([]);
  expect(textTokens.size).toBeGreaterThan(5);
});

test('every pair names tokens that exist', () => {
  const unknown = CONTRAST_PAIRS.flatMap((p) => [p.text, p.background]).filter(
    (name) => !themes.staff.has(name),
  );
  expect(unknown).toEqual([]);
});
