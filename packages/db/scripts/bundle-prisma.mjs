// Copies the repository's prisma/ folder (schema + migrations) into dist/prisma, so a deployed copy of
// this package (`pnpm deploy`, the container image) can run its migrations without the repository.
import { cpSync, rmSync } from "node:fs";

const target = new URL("../dist/prisma/", import.meta.url);
rmSync(target, { recursive: true, force: true });
cpSync(new URL("../../../prisma/", import.meta.url), target, { recursive: true });
