// Test worker for WorkerPool, speaking serveJobs's protocol by hand (plain JS, no build step).
import { parentPort, threadId } from 'node:worker_threads';

parentPort.on('message', ({ id, request }) => {
  if (request === 'exit') process.exit(3);
  if (request === 'throw') return parentPort.postMessage({ id, error: 'asked to fail' });
  if (typeof request === 'object' && request.wait) {
    const until = Date.now() + request.wait;
    while (Date.now() < until);
    return parentPort.postMessage({ id, result: { threadId } });
  }
  parentPort.postMessage({ id, result: request * request });
});
