#!/usr/bin/env node
// The migration command, runnable from the deployed server (`pnpm deploy` folder, container image):
//   node dist/src/cli/migrate.js deploy | status
// The schema and migrations ship inside @viewings/db; DATABASE_URL names the database.
import "@viewings/db/cli/migrate";
