import type { ServerConfig } from "./config.js";

/** What a developer needs once the server is up: where it is, where its data is, what to try next. */
export function startupBanner(url: string, config: ServerConfig): string {
  const database = config.databaseUrl
    ? `PostgreSQL at ${new URL(config.databaseUrl).host}`
    : `embedded PostgreSQL in ${config.dataDir}`;
  const calendars = config.calendarSandbox
    ? `sandbox at ${config.calendarSandbox.url} (development only)`
    : [config.calendar.microsoft && "Microsoft", config.calendar.google && "Google"]
        .filter(Boolean)
        .join(", ") || "none configured";
  const lines = [
    "",
    `  Viewings API   ${url}`,
    `  API reference  ${url}/docs`,
    `  Data folder    ${config.dataDir}`,
    `  Database       ${database}`,
    `  Calendars      ${calendars}`,
    "",
  ];
  if (config.clerk.devInstance) {
    lines.push(
      "  Next steps (README.md, First minute):",
      "    TOKEN=$(pnpm dev:token user_123 --email ann@example.com)",
      `    curl -s -H "Authorization: Bearer $TOKEN" ${url}/trpc/users.me`,
      "",
    );
  }
  return `${lines.join("\n")}\n`;
}
