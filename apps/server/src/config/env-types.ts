import { z } from "zod";

/** A comma-separated list; blanks around items and empty items are dropped. */
export const csv = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  );
