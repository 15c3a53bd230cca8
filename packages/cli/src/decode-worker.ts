/** Entry of the decoding worker thread (see event-batches.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { runDecodeWorker, type WorkerInput } from './event-batches.js';

await runDecodeWorker(workerData as WorkerInput, (message, transfer) => parentPort!.postMessage(message, transfer));
