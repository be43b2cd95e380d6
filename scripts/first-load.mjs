#!/usr/bin/env node
/**
 * What each audience downloads on a first load of the built app: the HTML
 * page, then every script and stylesheet it references (`<script src>`,
 * `<link rel="stylesheet">`, `<link rel="modulepreload">`), then, in the
 * JavaScript, the other assets it imports statically (`import … from "./x.js"`,
 * `import "./x.js"`, `export … from "./x.js"`). Dynamic `import()` is not
 * followed: it is fetched later, if ever. Sizes raw (what the server sends
 * today: it does not compress), gzip and brotli.
 *
 *   node scripts/first-load.mjs [dist/app] [--page audience=file.html …] [--url http://host:port] [--json]
 *
 * Which HTML page an audience gets: `--page`, else `<audience>.html` when the
 * build has one (staff.html, display.html, patient.html), else index.html.
 * With `--url`, the HTML comes from a running server for each audience's
 * routes instead (how the server really maps them); assets are still read
 * from the dist directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const AUDIENCES = {
  staff: ['/', '/c/x/reception'],
  display: ['/display'],
  patient: ['/ticket/x/y', '/join/x'],
};

function parseArgs(argv) {
  const opts = { dist: 'dist/app', pages: {}, url: null, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') opts.json = true;
    else if (a === '--url') {
      if (!argv[i + 1]) throw new Error('--url needs the server address (http://host:port)');
      opts.url = argv[++i].replace(/\/$/, '');
    } else if (a === '--page') {
      const [who, file] = argv[++i].split('=');
      if (!(who in AUDIENCES) || !file) throw new Error(`--page audience=file.html: ${argv[i]}`);
      opts.pages[who] = file;
    } else if (a === '-h' || a === '--help') {
      console.log(fs.readFileSync(new URL(import.meta.url), 'utf8').split('*/')[0]);
      process.exit(0);
    } else opts.dist = a;
  }
  return opts;
}

/** `/assets/x.js` or `assets/x.js` or `./x.js` (relative to `from`) → path in dist, or null if not a local file. */
function resolveAsset(dist, ref, from) {
  if (/^(?:[a-z]+:)?\/\//i.test(ref) || ref.startsWith('data:')) return null;
  const clean = ref.split(/[?#]/)[0];
  const file = clean.startsWith('/')
    ? path.join(dist, clean)
    : path.join(from ? path.dirname(from) : dist, clean);
  return fs.existsSync(file) && fs.statSync(file).isFile() ? file : null;
}

/** Assets an HTML page makes the browser fetch before the app runs. */
function htmlRefs(html) {
  const refs = [];
  for (const m of html.matchAll(/<script\b[^>]*\bsrc=["']([^"']+)["'][^>]*>/gi)) refs.push(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*>/gi)) {
    const rel = /\brel=["']?([^"'\s>]+)/i.exec(m[0])?.[1]?.toLowerCase();
    const href = /\bhref=["']([^"']+)["']/i.exec(m[0])?.[1];
    if (href && (rel === 'stylesheet' || rel === 'modulepreload')) refs.push(href);
  }
  return refs;
}

/**
 * Static imports and re-exports in (minified) ES module code. `import(` is a
 * dynamic import and is skipped by construction: the pattern needs a
 * specifier list, `*`, or a string right after the keyword.
 */
function jsStaticRefs(code) {
  const refs = [];
  const re =
    /\b(?:import|export)\s*(?:(?:[\w$]+\s*,?\s*)?(?:\{[^}]*\}|\*\s*(?:as\s+[\w$]+)?)?\s*from\s*|(?=["']))["']([^"']+)["']/g;
  for (const m of code.matchAll(re)) {
    const before = code.slice(Math.max(0, m.index - 1), m.index);
    if (before === '.' || before === '$') continue; // a property or identifier, not the keyword
    refs.push(m[1]);
  }
  return refs;
}

/** The HTML's assets and, transitively, what their JavaScript imports statically. */
function closure(dist, html) {
  const seen = new Set();
  const queue = htmlRefs(html)
    .map((r) => resolveAsset(dist, r, null))
    .filter(Boolean);
  while (queue.length) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    if (file.endsWith('.js') || file.endsWith('.mjs')) {
      for (const ref of jsStaticRefs(fs.readFileSync(file, 'utf8'))) {
        const dep = resolveAsset(dist, ref, file);
        if (dep && !seen.has(dep)) queue.push(dep);
      }
    }
  }
  return [...seen];
}

function sizes(buf) {
  return {
    raw: buf.length,
    gzip: zlib.gzipSync(buf, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(buf, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 },
    }).length,
  };
}

const kb = (n) => (n / 1000).toFixed(1).padStart(8);

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const dist = path.resolve(opts.dist);
  if (!fs.existsSync(path.join(dist, 'index.html')) && !opts.url)
    throw new Error(`${dist}/index.html not found: build first (npm run build)`);

  /** [{ audience, source, html }] — one per audience (or per route with --url). */
  const loads = [];
  for (const [audience, routes] of Object.entries(AUDIENCES)) {
    if (opts.url) {
      for (const route of routes) {
        const res = await fetch(opts.url + route, { headers: { accept: 'text/html' } });
        loads.push({
          audience,
          label: `${audience} ${route}`,
          source: `GET ${route} → ${res.status}`,
          html: await res.text(),
        });
      }
    } else {
      const own = `${audience}.html`;
      const page =
        opts.pages[audience] ?? (fs.existsSync(path.join(dist, own)) ? own : 'index.html');
      loads.push({
        audience,
        label: audience,
        source: `${page} (${routes.join(', ')})`,
        html: fs.readFileSync(path.join(dist, page), 'utf8'),
      });
    }
  }

  const results = loads.map(({ audience, label, source, html }) => {
    const files = [
      { name: '(html)', ...sizes(Buffer.from(html)) },
      ...closure(dist, html).map((f) => ({
        name: path.relative(dist, f),
        ...sizes(fs.readFileSync(f)),
      })),
    ];
    const total = files.reduce(
      (t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip, brotli: t.brotli + f.brotli }),
      { raw: 0, gzip: 0, brotli: 0 },
    );
    const js = files.filter((f) => f.name.endsWith('.js'));
    const css = files.filter((f) => f.name.endsWith('.css'));
    const sum = (fs_, k) => fs_.reduce((a, f) => a + f[k], 0);
    return {
      audience,
      label,
      source,
      files,
      total,
      js: { raw: sum(js, 'raw'), gzip: sum(js, 'gzip') },
      css: { raw: sum(css, 'raw'), gzip: sum(css, 'gzip') },
    };
  });

  if (opts.json) {
    console.log(JSON.stringify({ dist, results }, null, 2));
    return;
  }
  console.log(`First load per audience — ${dist}`);
  console.log('(kB = 1000 bytes; gzip -9, brotli q11; dynamic import() not counted)\n');
  for (const r of results) {
    console.log(`${r.audience}: ${r.source}`);
    console.log(
      `  ${'file'.padEnd(44)}${'raw kB'.padStart(8)}${'gzip kB'.padStart(9)}${'br kB'.padStart(8)}`,
    );
    for (const f of r.files)
      console.log(`  ${f.name.padEnd(44)}${kb(f.raw)} ${kb(f.gzip)}${kb(f.brotli)}`);
    console.log(
      `  ${'total'.padEnd(44)}${kb(r.total.raw)} ${kb(r.total.gzip)}${kb(r.total.brotli)}\n`,
    );
  }
  console.log('Summary');
  const width = Math.max(10, ...results.map((r) => r.label.length + 2));
  console.log(
    `  ${'audience'.padEnd(width)}${'JS raw'.padStart(10)}${'JS gz'.padStart(9)}${'CSS raw'.padStart(10)}${'CSS gz'.padStart(9)}${'total raw'.padStart(11)}${'total gz'.padStart(10)}${'total br'.padStart(10)}`,
  );
  for (const r of results)
    console.log(
      `  ${r.label.padEnd(width)}${kb(r.js.raw).padStart(10)}${kb(r.js.gzip).padStart(9)}${kb(r.css.raw).padStart(10)}${kb(r.css.gzip).padStart(9)}${kb(r.total.raw).padStart(11)}${kb(r.total.gzip).padStart(10)}${kb(r.total.brotli).padStart(10)}`,
    );
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
