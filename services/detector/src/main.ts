import { createLogger, loadConfigOrExit, onShutdown } from '@tracewatch/service-kit';
import { detectorConfigSchema } from './config.js';
import { startDetectorService } from './service.js';

const config = loadConfigOrExit(detectorConfigSchema);
const log = createLogger('detector', config.LOG_LEVEL);
const service = await startDetectorService(config, log);
onShutdown(log, () => service.stop());
