// Helpers shared by the workbin functional tests (demo contact center).
import assert from 'node:assert/strict';

export const WORKITEMS_IN = 'ce726aca-110f-5a8e-bf93-f585d4a50628';
export const ALICE_WB = '3569d15d-3143-5ada-91b1-415626f3dbcc';
export const TEAM_WB = 'eebeaff4-128f-5bdf-b152-15c89b90854f';
export const BOB_WB = '56850484-16fe-55a4-b96a-d6c32c067e5b';
export const ALICE_ID = '1b90bfb1f4335e9587c3f500f9e4432e';

// `client` creates a workitem (home queue workitems-in) and parks it in
// `workbin`; returns the interaction id.
export async function createAndAdd(client, workbin) {
  const c = await client.post('/api/v2/me/workitems', {
    operationName: 'Create', queueUri: `/queues/${WORKITEMS_IN}`,
  });
  assert.equal(c.json.statusCode, 0, c.text);
  const r = await client.post(`/api/v2/workbins/${workbin}`, { operationName: 'AddWorkitem', id: c.json.id });
  assert.equal(r.json.statusCode, 0, r.text);
  return c.json.id;
}
