/**
 * The layering rules of STYLE.md, kept by a machine (`npm run lint`):
 * dependencies point one way (app → shared, server → shared), no cycles,
 * the relay knows nothing of HTTP, and the app's sync layer and stores know
 * nothing of screens.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order matter and modules impossible to test alone.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'shared-is-isomorphic',
      severity: 'error',
      comment: 'shared/ is used by the server and the browser: it depends on neither.',
      from: { path: '^shared/' },
      to: { path: '^(server|app|e2e|bench)/' },
    },
    {
      name: 'app-not-server',
      severity: 'error',
      comment: 'Integration tests may run app code against a real server; the app itself may not.',
      from: { path: '^app/', pathNot: '\\.test\\.tsx?$' },
      to: { path: '^(server|bench)/' },
    },
    {
      name: 'server-not-app',
      severity: 'error',
      from: { path: '^server/', pathNot: '\\.test\\.tsx?$' },
      to: { path: '^(app|e2e|bench)/' },
    },
    {
      name: 'relay-not-http',
      severity: 'error',
      comment: 'The relay is a transport-neutral engine; HTTP plugs into it, not the reverse.',
      from: { path: '^server/relay/' },
      to: { path: '^server/http/' },
    },
    {
      name: 'store-not-relay',
      severity: 'error',
      from: { path: '^server/(store|db)/' },
      to: { path: '^server/(relay|http)/' },
    },
    {
      name: 'sync-and-stores-not-screens',
      severity: 'error',
      comment: 'Screens read stores; stores and the sync layer never import screens.',
      from: { path: '^app/src/(sync|stores)/' },
      to: { path: '^app/src/screens/' },
    },
    {
      name: 'ui-is-a-leaf',
      severity: 'error',
      comment:
        'The design system (app/src/ui) is used by every audience: it knows no screen, store, sync layer or component of the app.',
      from: { path: '^app/src/ui/' },
      to: {
        path: '^app/src/(screens|stores|sync|components|entries|i18n|announce)/|^app/src/app\\.tsx$',
      },
    },
    {
      name: 'public-pages-not-staff',
      severity: 'error',
      comment:
        'The display and patient pages load only their own screens (shared/audiences.ts): nothing of the staff app, its session or its stylesheet (screens/staff/staff.css), and never a board session (stores/board-*, stores/boards-list).',
      from: { path: '^app/src/entries/(display|patient)\\.tsx$' },
      to: {
        path: '^app/src/(app\\.tsx|screens/staff/|stores/session-store|stores/boards?-)',
        reachable: true,
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|\\.tmp|test-results)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
  },
};
