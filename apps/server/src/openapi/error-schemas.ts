/** The error bodies callers see, as zod schemas so the document's components are generated too. */
import { z } from "zod";

export const unauthorizedSchema = z
  .object({ detail: z.literal("Unauthorized"), message: z.string() })
  .describe("Missing or rejected credentials (the old FastAPI shape, plus message)");

export const restErrorSchema = z
  .object({
    success: z.literal(false),
    error: z.string(),
    message: z.string().describe("The same text as error: the existing frontend shows message"),
    code: z.string().describe("The tRPC error code, e.g. FORBIDDEN, NOT_FOUND, CONFLICT"),
  })
  .describe("A refused REST request");

export const restValidationErrorSchema = z
  .object({
    success: z.literal(false),
    error: z.string().describe('"Invalid input: field: problem; ..."'),
    message: z.string().describe("The same text as error"),
    fields: z.array(z.object({ field: z.string(), message: z.string() })),
  })
  .describe("Invalid input: every wrong field, named as sent");

export const trpcErrorSchema = z
  .object({
    error: z.object({
      message: z.string(),
      code: z.number().int().describe("JSON-RPC error code"),
      data: z.object({
        code: z.string().describe("UNAUTHORIZED, FORBIDDEN, NOT_FOUND, BAD_REQUEST, CONFLICT, ..."),
        httpStatus: z.number().int(),
        path: z.string().optional(),
        zodError: z
          .object({
            formErrors: z.array(z.string()),
            fieldErrors: z.record(z.string(), z.array(z.string())),
          })
          .nullable(),
      }),
    }),
  })
  .describe("A tRPC error (invalid input is BAD_REQUEST with the flattened zod error)");
