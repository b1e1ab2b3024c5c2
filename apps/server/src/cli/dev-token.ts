/**
 * Prints a session token the development server accepts: `pnpm dev:token <clerkUserId> [email]`.
 * Works only with the local development Clerk instance the server generates on a first run.
 */
import { parseArgs } from "node:util";
import { defaultDataDir, loadEnvFile } from "@viewings/db";
import { importPKCS8, SignJWT } from "jose";
import { loadDevClerkInstance } from "../auth/dev-clerk-instance.js";
import { readEnv } from "../env.js";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    email: { type: "string" },
    "first-name": { type: "string" },
    "last-name": { type: "string" },
    ttl: { type: "string", default: "3600" },
  },
});
const clerkUserId = positionals[0];
if (!clerkUserId) {
  console.error(
    "usage: pnpm dev:token <clerkUserId> [--email a@b.c] [--first-name A] [--last-name B] [--ttl seconds]",
  );
  process.exit(2);
}
loadEnvFile();
const dataDir = readEnv().DATA_DIR ?? defaultDataDir;
const instance = loadDevClerkInstance(dataDir);
if (!instance) {
  console.error(
    `No development Clerk instance in ${dataDir}: start the server once with \`pnpm dev\` (no CLERK_* set).`,
  );
  process.exit(1);
}
const key = await importPKCS8(instance.privateKeyPem, "RS256");
const token = await new SignJWT({
  email: values.email ?? `${clerkUserId.toLowerCase()}@example.com`,
  first_name: values["first-name"],
  last_name: values["last-name"],
  sid: `sess_dev_${clerkUserId}`,
})
  .setProtectedHeader({ alg: "RS256", typ: "JWT" })
  .setSubject(clerkUserId)
  .setIssuedAt()
  .setNotBefore("0s")
  .setExpirationTime(`${Number(values.ttl)}s`)
  .sign(key);
console.log(token);
