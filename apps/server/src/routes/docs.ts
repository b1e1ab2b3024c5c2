/**
 * GET /openapi.json (generated once, at start) and GET /docs, an interactive reference (Swagger UI)
 * that needs no internet: its assets come from the swagger-ui-dist package, served from here.
 */
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type { AnyTRPCRouter } from "@trpc/server";
import { Router } from "express";
import { buildOpenApiDocument } from "../openapi/document.js";

const assetsDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
/** Only what the page loads: the package also holds a demo page pointing at an online example. */
const assets = new Set(["swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png", "favicon-16x16.png"]);

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Viewings API reference</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

// A file rather than an inline script, so the page runs under helmet's default CSP (script-src 'self').
const init = `window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  tryItOutEnabled: false,
  displayOperationId: false,
});
`;

export function docsRoutes(router: AnyTRPCRouter): Router {
  const document = JSON.stringify(buildOpenApiDocument({ router }));
  const routes = Router();
  routes.get("/openapi.json", (_req, res) => {
    res.type("application/json").send(document);
  });
  routes.get("/docs", (_req, res) => {
    res.type("html").send(page);
  });
  routes.get("/docs/init.js", (_req, res) => {
    res.type("text/javascript").send(init);
  });
  routes.get("/docs/assets/:file", (req, res, next) => {
    if (!assets.has(req.params.file)) return next();
    res.sendFile(req.params.file, { root: assetsDir, maxAge: "1h" });
  });
  return routes;
}
