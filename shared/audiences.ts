/**
 * The app is built as one page per audience, each with only its own screens:
 * staff (reception, rooms, admin), the waiting-room display, and the
 * patient's phone. This table says which page starts which address; the
 * server's fallback and the Vite dev server read it here, and the service
 * worker (`app/public/sw.js`, plain JS) keeps a copy that
 * `audiences.test.ts` checks against this one.
 */
export const AUDIENCES = ['staff', 'display', 'patient'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** The HTML page that starts each audience's app, as served from the app's root. */
export const SHELLS: Readonly<Record<Audience, string>> = {
  staff: '/index.html',
  display: '/display.html',
  patient: '/patient.html',
};

const under = (pathname: string, prefix: string) =>
  pathname === prefix || pathname.startsWith(`${prefix}/`);

/**
 * `/display…` is the TV, `/join/…` and `/ticket/…` the patient; every other
 * address is staff. A page's own file (`/display.html`) is its audience too.
 */
export function audienceOf(pathname: string): Audience {
  for (const a of AUDIENCES) if (SHELLS[a] === pathname) return a;
  if (under(pathname, '/display')) return 'display';
  if (pathname.startsWith('/join/') || pathname.startsWith('/ticket/')) return 'patient';
  return 'staff';
}

export const shellFor = (pathname: string): string => SHELLS[audienceOf(pathname)];
