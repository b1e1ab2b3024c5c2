/**
 * operationIds, which generators turn into function names: URL-safe and unique. REST routes and
 * callbacks get letters and digits from method and path; procedures keep their tRPC path (`users.me`).
 */

const pascal = (text: string) =>
  text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join("");

/** `patch /users/{user_id}/calendar-status` -> `patchUsersByUserIdCalendarStatus`. */
export function operationIdFor(method: string, path: string): string {
  const words = path
    .split("/")
    .filter(Boolean)
    .map((segment) => (segment.startsWith("{") ? `By${pascal(segment)}` : pascal(segment)));
  return `${method.toLowerCase()}${words.join("")}`;
}

/** Fails the build of the document on a clash, rather than letting a generator drop an operation. */
export function assertUniqueOperationIds(paths: Record<string, Record<string, { operationId?: unknown }>>) {
  const seen = new Map<unknown, string>();
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const where = `${method.toUpperCase()} ${path}`;
      const clash = seen.get(operation.operationId);
      if (clash)
        throw new Error(`operationId ${String(operation.operationId)} of ${where} is also ${clash}'s`);
      seen.set(operation.operationId, where);
    }
  }
}
