/** Worker thread entry: decodes packed batches for BatchDecoder. */
import { serveJobs } from '@tracewatch/service-kit';
import { type DecodedBatch, type DecodeRequest, decodeRequest } from './decoder.js';

serveJobs<DecodeRequest, DecodedBatch>((request) => {
  const result = decodeRequest(request);
  return { result, transfer: [result.tsv.buffer as ArrayBuffer, result.rowIndex.buffer as ArrayBuffer] };
});
