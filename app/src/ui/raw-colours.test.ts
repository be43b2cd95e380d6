/**
 * Colours live in ui/tokens.css only: every other stylesheet of the app names
 * them through tokens (`var(--color-…)`), so a theme changes in one place and
 * the contrast test sees every colour.
 */
import { expect, test } from 'vitest';

const sheets = import.meta.glob<string>('../**/*.css', {
  query: '?raw',
  import: 'default',
  eager: true,
});

const RAW_COLOUR = /#[0-9a-f]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(/i;

/** The `property: value` declarations of a stylesheet, without comments or selectors. */
function declarations(css: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  const src = css.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
  for (const block of src.matchAll(/\{([^{}]*)\}/g)) {
    const start = src.slice(0, block.index).split('\n').length;
    block[1]!.split(';').forEach((decl) => {
      const offset = decl.match(/^\s*/)![0].split('\n').length - 1;
      const before = block[1]!.slice(0, block[1]!.indexOf(decl)).split('\n').length - 1;
      if (decl.includes(':')) out.push({ line: start + before + offset, text: decl.trim() });
    });
  }
  return out;
}

test('finds the app stylesheets', () => {
  expect(Object.keys(sheets)).toContain('./tokens.css');
  expect(Object.keys(sheets).length).toBeGreaterThan(5);
});

test('no stylesheet but ui/tokens.css writes a raw colour', () => {
  const found: string[] = [];
  for (const [path, css] of Object.entries(sheets)) {
    if (path === './tokens.css') continue;
    for (const d of declarations(css))
      if (RAW_COLOUR.test(d.text)) found.push(`${path}:${d.line}: ${d.text}`);
  }
  expect(found, 'use a token of ui/tokens.css (add one there if needed)').toEqual([]);
});

test('the check sees a raw colour in a declaration, not in a selector or comment', () => {
  const css =
    '/* #fff */\n.a:not(#add) {\n  color: #fff;\n  margin: 0;\n}\n.b { border: 1px solid rgb(0 0 0); }';
  const hits = declarations(css).filter((d) => RAW_COLOUR.test(d.text));
  expect(hits).toEqual([
    { line: 3, text: 'color: #fff' },
    { line: 6, text: 'border: 1px solid rgb(0 0 0)' },
  ]);
});
