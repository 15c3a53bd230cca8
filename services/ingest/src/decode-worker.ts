/** Worker thread entry: decodes packed batches for BatchDecoder. */

import type { EncodedBatch } from '@tracewatch/schema';
import { serveJobs } from '@tracewatch/service-kit';
import { type DecodeRequest, decodeRequest } from './decoder.js';

serveJobs<DecodeRequest, EncodedBatch>((request) => {
  const result = decodeRequest(request);
  return { result, transfer: [result.tsv.buffer as ArrayBuffer, result.rowIndex.buffer as ArrayBuffer] };
});
