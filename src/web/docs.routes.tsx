import { Hono } from "hono";
import type { AppEnv } from "../http/app-env";
import { render } from "./core";
import { SERVICE_NAME } from "./layout";

/**
 * The API's reference for integrators, rendered in the browser by Swagger UI from
 * /openapi.json (the same document the API serves). Public, like that document.
 */
export const docsRoutes = new Hono<AppEnv>().get("/docs", (c) =>
  render(
    c,
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{`API documentation – ${SERVICE_NAME}`}</title>
        {/* No icon of its own: an empty one stops browsers asking for /favicon.ico. */}
        <link rel="icon" href="data:," />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="stylesheet" href="/assets/vendor/swagger-ui/swagger-ui.css" />
        <link rel="stylesheet" href="/assets/app/docs.css" />
        <script src="/assets/vendor/swagger-ui/swagger-ui-bundle.js" defer></script>
        <script type="module" src="/assets/app/docs.js"></script>
      </head>
      <body>
        <div id="swagger-ui">
          <h1>{`${SERVICE_NAME}: API documentation`}</h1>
          <p>
            The interactive reference needs JavaScript. The OpenAPI document itself is at <a href="/openapi.json">/openapi.json</a>.
          </p>
        </div>
      </body>
    </html>,
  ),
);
