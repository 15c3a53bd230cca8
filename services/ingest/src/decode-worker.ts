/** Worker thread entry: decodes packed batches for BatchDecoder, and gives their values back. */
import { serveJobs } from '@tracewatch/service-kit';
import { type DecodeReply, type DecodeRequest, decodeRequest } from './decoder.js';

serveJobs<DecodeRequest, DecodeReply>((request) => {
  const encoded = decodeRequest(request);
  const { values, valueLengths } = request;
  return {
    result: { encoded, values, valueLengths },
    // Everything goes back by transfer: nothing of the batch stays in this thread's heap.
    transfer: [
      encoded.data.buffer,
      encoded.rowEnds.buffer,
      encoded.rowIndex.buffer,
      values.buffer,
      valueLengths.buffer,
    ] as ArrayBuffer[],
  };
});
