import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

/**
 * One pair of keep-alive agents for the API and the blob store: a drain reuses a handful of
 * sockets instead of a TCP (and TLS) handshake per request. Explicit rather than Node's global
 * agent, whose defaults differ between Node and Electron versions and which anyone may replace.
 */
// An idle socket closes after 4 s, before servers' usual 5 s keep-alive timeout closes it under a
// request that just picked it (Node's global agent does the same with 5 s).
const options = { keepAlive: true, keepAliveMsecs: 1_000, timeout: 4_000, maxSockets: 16, maxFreeSockets: 8, scheduling: 'lifo' as const };

export const keepAliveAgents = {
  httpAgent: new HttpAgent(options),
  httpsAgent: new HttpsAgent(options),
};
