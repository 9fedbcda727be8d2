/**
 * The layers of the service, checked on every CI run (`npm run lint`). docs/architecture.md
 * draws them; each rule says why it exists.
 *
 *   src/lib        shared helpers and shapes; imports nothing else of the service
 *   src/db         the schema, the store, the outbox
 *   src/domain     Ctx: what a verb acts with
 *   src/<capability>  routes (*.routes.ts), rules (*.service.ts and plain modules), shapes (*.schemas.ts)
 *   src/http       Hono's env, the router, the middleware
 *   src/web        the desks' pages
 *   src/*.ts       the app's assembly and the two entries (Node, Workers)
 */
const CAPABILITIES = "(alerts|audit|auth|calendar|callbacks|considerations|enquiries|import|matching|moves|notifications|register|risk|stats)";

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "A cycle means neither module can be understood, tested or moved without the other.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-circular-folders",
      comment: "Capabilities depend one way (docs/architecture.md): a folder importing one that imports it back has no place in that order.",
      severity: "error",
      scope: "folder",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-import-up",
      comment: "The app's assembly and entries (src/*.ts) are built from the folders; a folder reaching back up to them ties the domain to one way of running it.",
      severity: "error",
      from: { path: "^src/[^/]+/" },
      to: { path: "^src/[^/]+\\.tsx?$" },
    },
    {
      name: "lib-stands-alone",
      comment: "src/lib is what every layer may use, so it may use none of them.",
      severity: "error",
      from: { path: "^src/lib/" },
      to: { path: "^src/", pathNot: "^src/lib/" },
    },
    {
      name: "routes-and-pages-not-db",
      comment: "Handlers stay thin (parse, call a service, shape the reply): a route or page that queries tables has taken the service's job and skipped its scoping and audit.",
      severity: "error",
      // web/session.ts is not a page: it is the desks' session store, a service of the web layer.
      from: { path: "(\\.routes\\.tsx?$|^src/web/)", pathNot: "^src/web/session\\.ts$" },
      to: { path: "^src/db/" },
    },
    {
      name: "services-not-http",
      comment: "A verb acts on a Ctx, not a request: it must run the same from a route, a desk, the CLI import or a scheduled job.",
      severity: "error",
      from: { path: `^src/(${CAPABILITIES.slice(1, -1)}|domain|db)/`, pathNot: "(\\.routes\\.tsx?$|\\.schemas\\.ts$)" },
      to: { path: "(^node_modules/hono/|^src/http/|^src/web/|\\.routes\\.tsx?$)" },
    },
    {
      name: "matching-not-client",
      comment: "The matcher is handed a query surface (a snapshot); opening or owning a database connection is the entries' business, and a replica must be able to serve it.",
      severity: "error",
      from: { path: "^src/matching/" },
      to: { path: "(^node_modules/@libsql/|^src/db/(embedded-client|open-node|migrate|store)\\.ts$)", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "no-orphans",
      comment: "A module nothing imports is dead code or a forgotten entry (knip says which).",
      severity: "error",
      from: { orphan: true, path: "^src/", pathNot: ["^src/(node|worker|node-app)\\.ts$", "^src/web/static/"] },
      to: {},
    },
  ],
  options: {
    tsConfig: { fileName: "tsconfig.json" },
    // Type-only imports count: a cycle through types is still a cycle for whoever reads the code.
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    exclude: { path: "\\.d\\.ts$" },
  },
};
