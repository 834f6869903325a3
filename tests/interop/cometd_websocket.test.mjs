// Interop: the stock CometD JS client over websocket (one client per process, see lib/clients.mjs).
import { CometdClient } from './lib/clients.mjs';
import { interopSuite } from './lib/suite.mjs';

interopSuite('CometD JS websocket', CometdClient, 'websocket');
