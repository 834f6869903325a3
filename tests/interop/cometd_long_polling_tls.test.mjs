// Interop: the stock CometD JS client, long-polling over https:// (server.tls.*), one client per process (see lib/clients.mjs).
import { CometdClient } from './lib/clients.mjs';
import { tlsInteropSuite } from './lib/tls_variant.mjs';

tlsInteropSuite('CometD JS long-polling over TLS', CometdClient, 'long-polling', import.meta.url);
