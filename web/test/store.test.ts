import { describe, expect, it } from 'vitest';
import {
  applyChannelMessage, applyInteractionMessage, applyWorkbinMessage, countsFromStats, interactionsFromList,
  interactionsIn, type Interaction, type WorkbinPage,
} from '../src/store';

const wi = (id: string, state: string, extra: Partial<Interaction> = {}): Interaction => ({
  id, mediaType: 'workitem', state, capabilities: [], receivedDate: `2026-01-01 10:00:0${id.length}.000+0000`, ...extra,
});
const change = (item: Interaction, notificationType = 'StatusChange') => ({
  messageType: 'WorkitemStateChangeMessage', notificationType, workitem: item,
});

describe('interaction notifications', () => {
  it('an offer is added, accepted, then leaves when completed', () => {
    let m = applyInteractionMessage({}, change(wi('a', 'Invited', { capabilities: ['Accept', 'Reject'] })));
    expect(interactionsIn(m, (i) => i.state === 'Invited').map((i) => i.id)).toEqual(['a']);
    m = applyInteractionMessage(m, change(wi('a', 'Processing', { capabilities: ['Complete'] })));
    expect(m.a.state).toBe('Processing');
    expect(interactionsIn(m, (i) => i.state === 'Invited')).toEqual([]);
    m = applyInteractionMessage(m, change(wi('a', 'Completed')));
    expect(m).toEqual({});
  });

  it('revoked offers and items parked in a workbin leave the list', () => {
    let m = interactionsFromList([wi('a', 'Invited'), wi('b', 'Processing')]);
    m = applyInteractionMessage(m, change(wi('a', 'Revoked')));
    m = applyInteractionMessage(m, change(wi('b', 'InWorkbin')));
    expect(Object.keys(m)).toEqual([]);
  });

  it('a message about an unknown interaction that is not ours changes nothing', () => {
    const m = interactionsFromList([wi('b', 'Processing')]);
    expect(applyInteractionMessage(m, change(wi('x', 'Completed')))).toBe(m);
    expect(applyInteractionMessage(m, { messageType: 'Other' })).toBe(m);
  });

  it('PropertiesUpdated replaces user data of a listed interaction only', () => {
    const m = interactionsFromList([wi('b', 'Processing', { userData: { A: 1 } })]);
    const updated = applyInteractionMessage(m, change(wi('b', 'Processing', { userData: { A: 2 } }), 'PropertiesUpdated'));
    expect(updated.b.userData).toEqual({ A: 2 });
    expect(applyInteractionMessage(m, change(wi('c', 'Processing'), 'PropertiesUpdated'))).toBe(m);
  });

  it('emails and chats are read from their own keys', () => {
    const m = applyInteractionMessage({}, { notificationType: 'StatusChange', email: { id: 'e', state: 'Processing', capabilities: [] } });
    const c = applyInteractionMessage(m, { notificationType: 'StatusChange', chat: { id: 'c', state: 'Chatting', capabilities: [] } });
    expect(Object.keys(c).sort()).toEqual(['c', 'e']);
  });

  it('a fresh read keeps only offers and work in hand', () => {
    const m = interactionsFromList([wi('a', 'Invited'), wi('b', 'Completed'), wi('c', 'Composing')]);
    expect(Object.keys(m).sort()).toEqual(['a', 'c']);
  });
});

describe('channel notifications', () => {
  it('replaces the listed channels and keeps the others', () => {
    const ready = { channel: 'workitem', userState: { state: 'Ready' } };
    const m = applyChannelMessage({ email: { channel: 'email', userState: { state: 'NotReady' } } }, {
      messageType: 'ChannelStateChangeMessageV2', channels: [ready],
    });
    expect(m.workitem.userState.state).toBe('Ready');
    expect(m.email.userState.state).toBe('NotReady');
    const same = applyChannelMessage(m, { channels: [] });
    expect(same).toBe(m);
  });
});

describe('workbin notifications', () => {
  const page = (items: Interaction[], complete = true, totalCount?: number): WorkbinPage => ({ workbinId: 'W', items, complete, totalCount });
  const msg = (action: string, item: Interaction, id = 'W') => ({ messageType: 'WorkbinContentChanged', action, id, interaction: item });

  it('adds to a page that shows everything, once', () => {
    let p = page([wi('a', 'InWorkbin')], true, 1);
    p = applyWorkbinMessage(p, msg('ItemAdded', wi('b', 'InWorkbin')));
    expect(p.items.map((i) => i.id)).toEqual(['a', 'b']);
    expect(p.totalCount).toBe(2);
    expect(applyWorkbinMessage(p, msg('ItemAdded', wi('b', 'InWorkbin')))).toBe(p);
  });

  it('counts but does not insert into a sorted or paged page', () => {
    const p = applyWorkbinMessage(page([wi('a', 'InWorkbin')], false, 5), msg('ItemAdded', wi('b', 'InWorkbin')));
    expect(p.items.map((i) => i.id)).toEqual(['a']);
    expect(p.totalCount).toBe(6);
  });

  it('removes a pulled item at once and lowers the count', () => {
    const p = applyWorkbinMessage(page([wi('a', 'InWorkbin'), wi('b', 'InWorkbin')], true, 2), msg('ItemRemoved', wi('a', 'InWorkbin')));
    expect(p.items.map((i) => i.id)).toEqual(['b']);
    expect(p.totalCount).toBe(1);
  });

  it('updates a row in place', () => {
    const p = applyWorkbinMessage(page([wi('a', 'InWorkbin', { userData: { X: 1 } })]), msg('ItemUpdated', wi('a', 'InWorkbin', { userData: { X: 2 } })));
    expect(p.items[0].userData).toEqual({ X: 2 });
  });

  it('ignores other workbins and other messages', () => {
    const p = page([wi('a', 'InWorkbin')]);
    expect(applyWorkbinMessage(p, msg('ItemRemoved', wi('a', 'InWorkbin'), 'OTHER'))).toBe(p);
    expect(applyWorkbinMessage(p, { messageType: 'WorkbinStatsMessage', id: 'W' })).toBe(p);
  });
});

describe('workbin stats', () => {
  it('reads RequestStats (shape A) and RequestAgentStats (shape B)', () => {
    expect(countsFromStats({
      messageType: 'WorkbinStatsMessage', id: 'G', workbinType: 'AgentGroup',
      workbinStats: { 'team-a': { NumberOfInteractions: 2 } },
    })).toEqual({ G: 2 });
    expect(countsFromStats({
      messageType: 'WorkbinStatsMessage',
      workbinStats: { W1: { Count: 1, Owner: 'u', Type: 'Agent' }, W2: { Count: 0 } },
    })).toEqual({ W1: 1, W2: 0 });
    expect(countsFromStats({ messageType: 'WorkbinContentChanged' })).toEqual({});
  });
});
