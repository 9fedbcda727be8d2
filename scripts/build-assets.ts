/**
 * Puts the desks' static files in public/assets: GOV.UK Frontend's stylesheet (compiled from
 * its Sass with Arial, as a service off GOV.UK must) and its script, Chart.js, Swagger UI, and the service's own small scripts. They come from
 * the installed packages (not copies kept in the repository), and the same folder is served by
 * Node (serveStatic) and by Workers (wrangler's [assets]).
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compile } from "sass";

const root = join(import.meta.dirname, "..");
const out = join(root, "public", "assets");
// Packages are found where npm installed them (some do not export their package.json).
const pkg = (name: string) => join(root, "node_modules", name);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const govuk = join(pkg("govuk-frontend"), "dist", "govuk");
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"));
const css = compile(join(root, "src", "web", "styles", "desks.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
mkdirSync(join(out, "govuk"), { recursive: true });
writeFileSync(join(out, "govuk", "desks.css"), css.css);
cpSync(join(pkg("chart.js"), "dist", "chart.umd.min.js"), join(out, "vendor", "chart.umd.min.js"));
for (const f of ["swagger-ui-bundle.js", "swagger-ui.css"]) cpSync(join(pkg("swagger-ui-dist"), f), join(out, "vendor", "swagger-ui", f));
cpSync(join(root, "src", "web", "static"), join(out, "app"), { recursive: true });
console.log(`Desk assets written to ${out}`);
