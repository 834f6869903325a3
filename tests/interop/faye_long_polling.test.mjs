// Interop: the stock Faye client over long-polling (one client per process, see lib/clients.mjs).
import { FayeClient } from './lib/clients.mjs';
import { interopSuite } from './lib/suite.mjs';

interopSuite('Faye long-polling', FayeClient, 'long-polling');
