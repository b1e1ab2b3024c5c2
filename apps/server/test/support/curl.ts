import { execFile } from "node:child_process";

export interface CurlResult {
  status: number;
  body: unknown;
}

/**
 * Runs a curl command line exactly as a guide prints it (through bash, so quoting and $VARIABLES work
 * as in a terminal), adding only flags that make curl quiet and print the status code last.
 */
export function runCurl(command: string, variables: Record<string, string>): Promise<CurlResult> {
  return new Promise((resolve, reject) => {
    execFile(
      "bash",
      ["-c", `${command} --silent --show-error --write-out '\\n%{http_code}'`],
      { env: { PATH: process.env.PATH ?? "", ...variables }, timeout: 20_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`curl failed: ${stderr || error.message}`));
        const newline = stdout.lastIndexOf("\n");
        const text = stdout.slice(0, newline);
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON
        }
        resolve({ status: Number(stdout.slice(newline + 1)), body });
      },
    );
  });
}
