import { createLogger, loadConfigOrExit, onShutdown } from '@tracewatch/service-kit';
import { notifierConfigSchema } from './config.js';
import { startNotifierService } from './service.js';

const config = loadConfigOrExit(notifierConfigSchema);
const log = createLogger('notifier', config.LOG_LEVEL);
const service = await startNotifierService(config, log);
onShutdown(log, () => service.stop());
