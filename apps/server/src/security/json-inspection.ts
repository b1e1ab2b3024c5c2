/**
 * A linear scan of JSON text, run before anything parses or re-serialises it: tRPC's adapter and
 * zod walk bodies recursively, so a body nested thousands deep overflows the stack (a 500), and a
 * NUL character in a string is refused by PostgreSQL (another 500). Both are answered 400 here.
 */

/** Deeper than any input of this API (the deepest, a batch of event inputs, is about 5 levels). */
export const maxJsonDepth = 32;

export type JsonProblem = "too deep" | "NUL character";

export function inspectJsonText(text: string, maxDepth = maxJsonDepth): JsonProblem | null {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (char === 0) return "NUL character";
    if (inString) {
      if (char === 0x5c /* \ */) {
        // \u0000 (any letter case) is a NUL once parsed; every other escape is skipped whole.
        if (text[index + 1] === "u" && /^0000$/.test(text.slice(index + 2, index + 6)))
          return "NUL character";
        index++;
      } else if (char === 0x22 /* " */) inString = false;
      continue;
    }
    if (char === 0x22) inString = true;
    else if (char === 0x7b /* { */ || char === 0x5b /* [ */) {
      depth++;
      if (depth > maxDepth) return "too deep";
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) depth--;
  }
  return null;
}

/** The 400 message for a problem, saying what to fix. */
export function describeJsonProblem(problem: JsonProblem): string {
  return problem === "too deep"
    ? `JSON nested deeper than ${maxJsonDepth} levels`
    : "text must not contain NUL (\\u0000) characters";
}
