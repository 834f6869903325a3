// The contact center the crash driver works in: `workers` agents w1..wN,
// each alone in its agent group gN with its own queue qN (so that what is
// submitted to qN is offered to wN and nobody else), an Agent workbin
// "parked" (one instance per agent), an API user "feeder" that submits and
// an admin "ops" that provisions over REST while the agents work.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PASSWORD = 'crash-test-pw';
export const CC_NAME = 'crash';

export function crashProvisioning(workers) {
  const users = [
    { userName: 'feeder', password: PASSWORD, roles: ['ROLE_APIUSER'] },
    { userName: 'ops', password: PASSWORD, roles: ['ROLE_ADMIN'] },
  ];
  const agentGroups = [];
  const queues = [];
  for (let n = 1; n <= workers; n++) {
    users.push({ userName: `w${n}`, password: PASSWORD, roles: ['ROLE_AGENT'] });
    agentGroups.push({ name: `g${n}`, agents: [`w${n}`] });
    queues.push({ name: `q${n}`, agentGroup: `g${n}` });
  }
  return {
    version: 1,
    systemAdmins: [{ userName: 'root', password: PASSWORD }],
    contactCenters: [{
      name: CC_NAME,
      features: ['api-multimedia', 'api-provisioning-read', 'api-provisioning-write'],
      settings: { routing: { offerTimeoutSeconds: 600, capacity: { workitem: 100 }, declineCooldownSeconds: 0 } },
      users, agentGroups, queues,
      workbins: [{ name: 'parked', type: 'Agent' }],
    }],
  };
}

export function writeProvisioning(dir, doc, name = 'provisioning.json') {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}
