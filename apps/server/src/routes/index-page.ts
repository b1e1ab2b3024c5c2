import { Router } from "express";

/** GET /: where to go next, for a developer who opens the server's URL (JSON for curl, HTML for browsers). */
export function indexRoutes(calendarSandboxUrl: string | undefined): Router {
  const links: Record<string, string> = {
    docs: "/docs",
    openapi: "/openapi.json",
    health: "/healthz",
    trpc: "/trpc",
    ...(calendarSandboxUrl ? { calendarSandbox: calendarSandboxUrl } : {}),
  };
  const items = Object.entries(links)
    .map(([name, href]) => `<li>${name}: <a href="${href}">${href}</a></li>`)
    .join("");
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Viewings API</title></head><body><h1>Viewings API</h1><ul>${items}</ul></body></html>`;
  const routes = Router();
  routes.get("/", (_req, res) => {
    res.format({
      "application/json": () => res.json({ name: "Viewings API", links }),
      "text/html": () => res.type("html").send(html),
    });
  });
  return routes;
}
