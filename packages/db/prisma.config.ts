// Used by `prisma generate` here and by the Prisma CLI for teams with network access.
// The url is read lazily so generate works without a database; the runtime passes it to the adapter.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "../../prisma/schema.prisma",
  migrations: { path: "../../prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
