// Interop: the stock Faye client over websocket (one client per process, see lib/clients.mjs).
import { FayeClient } from './lib/clients.mjs';
import { interopSuite } from './lib/suite.mjs';

interopSuite('Faye websocket', FayeClient, 'websocket');
