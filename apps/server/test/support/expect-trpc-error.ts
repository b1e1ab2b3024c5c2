import { isApiError } from "@viewings/client";
import { expect } from "vitest";

/** Awaits a call that must fail and returns the tRPC error's code, message and data for assertions. */
export async function trpcError(call: Promise<unknown>) {
  const error = await call.then(
    () => expect.fail("expected the call to fail"),
    (caught: unknown) => caught,
  );
  if (!isApiError(error)) throw error;
  return { code: error.data?.code, message: error.message, data: error.data };
}
