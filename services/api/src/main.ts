import { createLogger, loadConfigOrExit, onShutdown } from '@tracewatch/service-kit';
import { apiConfigSchema } from './config.js';
import { startApiService } from './service.js';

const config = loadConfigOrExit(apiConfigSchema);
const log = createLogger('api', config.LOG_LEVEL);
const service = await startApiService(config, log);
onShutdown(log, () => service.stop());
