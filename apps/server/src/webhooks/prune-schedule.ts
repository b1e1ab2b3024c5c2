import type { Services } from "@viewings/api";
import type { Logger } from "../logger.js";

export interface PruneScheduleOptions {
  services: Services;
  retentionDays: number;
  intervalMs: number;
  logger: Logger;
}

export interface PruneSchedule {
  /** Stops the schedule and waits for a run in progress, so the database can be closed after it. */
  stop(): Promise<void>;
}

/**
 * Deletes Clerk webhook delivery records past their retention: once at start-up, then every interval.
 * Every server process runs it; the DELETE is idempotent, so overlapping runs are harmless. The timer is
 * unref'd: it never keeps the process alive on its own.
 */
export function startWebhookRecordPruning({
  services,
  retentionDays,
  intervalMs,
  logger,
}: PruneScheduleOptions): PruneSchedule {
  let running: Promise<void> | undefined;
  let stopped = false;
  const prune = () => {
    if (stopped || running) return;
    running = services.clerkSync
      .pruneDeliveryRecords(retentionDays)
      .then(
        (deleted) => {
          if (deleted > 0) logger.info({ deleted, retentionDays }, "pruned Clerk webhook delivery records");
        },
        // A failed run (database down) is retried at the next interval; it must not crash the server.
        (error: unknown) => logger.warn({ err: error }, "pruning Clerk webhook delivery records failed"),
      )
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(prune, intervalMs);
  timer.unref();
  prune();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
