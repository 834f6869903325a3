// Interop: the stock CometD JS client over wss:// (server.tls.*), one client per process (see lib/clients.mjs).
import { CometdClient } from './lib/clients.mjs';
import { tlsInteropSuite } from './lib/tls_variant.mjs';

tlsInteropSuite('CometD JS websocket over TLS', CometdClient, 'websocket', import.meta.url);
