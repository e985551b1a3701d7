import { workerData } from 'node:worker_threads';
import sharp from 'sharp';
import { convertToJpeg } from './convert-to-jpeg';
import { validateFrame } from './frame-validator';
import { renderVariants } from './render-variants';
import { toWire, type TaskMessage, type TaskReply, type WorkerTestHooks } from './task-protocol';

/**
 * Pool worker entry (built to out/main/thumbnail-task.js). One libvips thread
 * per worker and no operation cache: pool size × threads never oversubscribes
 * the CPU, and memory stays flat across thousands of frames.
 */
sharp.concurrency(1);
sharp.cache(false);

const hooks: WorkerTestHooks =
  (workerData as { testHooks?: WorkerTestHooks } | null)?.testHooks ?? {};

export default async function runTask(message: TaskMessage): Promise<TaskReply> {
  try {
    if (message.kind === 'validate')
      return { ok: true, value: await validateFrame(message.input, message.options) };
    if (message.kind === 'convert') {
      const { input, quality, limitInputPixels } = message;
      return { ok: true, value: await convertToJpeg(input, quality, limitInputPixels) };
    }
    const value = await renderVariants(message.job);
    sabotage(message.job.sourcePath);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: toWire(error) };
  }
}

function sabotage(sourcePath: string): void {
  const { sabotage } = hooks;
  if (!sabotage || !sourcePath.includes(sabotage.whenSourceContains)) return;
  if (sabotage.action === 'exit') process.exit(70);
  const until = Date.now() + 3_600_000;
  while (Date.now() < until); // a busy hang: only termination ends it
}
