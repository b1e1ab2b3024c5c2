import { Prisma } from "./generated/prisma/client.js";

/** A nullable JSON column's write: left out stays, null stores SQL NULL (Prisma wants DbNull for it). */
export function jsonColumn(
  value: Prisma.InputJsonValue | null | undefined,
): Prisma.InputJsonValue | typeof Prisma.DbNull | undefined {
  return value === null ? Prisma.DbNull : value;
}
