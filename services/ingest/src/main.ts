import { createLogger, loadConfigOrExit, onShutdown } from '@tracewatch/service-kit';
import { ingestConfigSchema } from './config.js';
import { startIngestService } from './service.js';

const config = loadConfigOrExit(ingestConfigSchema);
const log = createLogger('ingest', config.LOG_LEVEL);
const service = await startIngestService(config, log);
onShutdown(log, () => service.stop());
