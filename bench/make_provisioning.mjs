#!/usr/bin/env node
// Writes the provisioning file of the benchmarks to standard output: the
// demo contact center (alice ... feeder, used by the CometD benchmarks)
// plus N agents agent1..agentN (password bench-agent-pw), each with its own
// Agent workbin "bench-agent", all members of agent group bench-team whose
// queue bench-in is the home queue of the workitems the REST benchmark
// creates. Usage: node bench/make_provisioning.mjs [N]   (default 256)
import { readFileSync } from 'node:fs';

const n = Number(process.argv[2] ?? 256);
const demo = JSON.parse(
  readFileSync(new URL('../config/demo-provisioning.json', import.meta.url), 'utf8'));
const cc = demo.contactCenters[0];
const agents = Array.from({ length: n }, (_, i) => `agent${i + 1}`);
for (const name of agents) {
  cc.users.push({ userName: name, password: 'bench-agent-pw', firstName: 'Bench', lastName: name,
    roles: ['ROLE_AGENT'] });
}
cc.agentGroups.push({ name: 'bench-team', agents });
cc.queues.push({ name: 'bench-in', description: 'Workitems of the REST benchmark', agentGroup: 'bench-team' });
cc.workbins.push({ name: 'bench-agent', displayName: 'Bench agent workbin', type: 'Agent' });
process.stdout.write(JSON.stringify(demo, null, 1) + '\n');
