// The supervisor's console: the team's agents with their channel states,
// each agent's workbins and the group workbins with counts (RequestAgentStats
// / RequestStats), pull from and add to an agent's workbin. Live through
// /v2/users/** (copies of the agents' own notifications) and workbin
// subscriptions for the group workbins.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { MyInteractions, useMyInteractions } from './Interactions';
import { attempt, useSession } from './context';
import { applyChannelMessage, countsFromStats, interactionsIn, WORKING_STATES, type ChannelMap, type ChannelState, type Interaction } from './store';
import { WorkbinTable, type WorkbinInfo } from './WorkbinTable';

interface User {
  id: string;
  userName: string;
  firstName?: string;
  lastName?: string;
  roles?: string[];
}

function AgentCard({ agent, counts, onWorkbins }: { agent: User; counts: Record<string, number>; onWorkbins: (id: string, list: WorkbinInfo[]) => void }) {
  const session = useSession();
  const [channels, setChannels] = useState<ChannelMap>({});
  const [workbins, setWorkbins] = useState<WorkbinInfo[]>([]);
  const load = async () => {
    const c = await session.api.get(`/users/${agent.id}/channels?fields=*`);
    const map: Record<string, ChannelState> = {};
    for (const ch of (c.channels ?? []) as ChannelState[]) map[ch.channel] = ch;
    setChannels(map);
    const w = await session.api.get(`/users/${agent.id}/workbins?fields=*`);
    const list = ((w.workbins ?? []) as WorkbinInfo[]).filter((x) => x.type === 'Agent');
    setWorkbins(list);
    onWorkbins(agent.id, list);
    await session.api.post(`/users/${agent.id}/workbins`, { operationName: 'RequestAgentStats' });
  };
  useEffect(() => void attempt(session, load), [session.resync]);
  useEffect(
    () =>
      session.bus.listen((channel, data) => {
        if (channel === `/v2/users/${agent.id}/channels`) setChannels((m) => applyChannelMessage(m, data));
      }),
    [],
  );
  const name = [agent.firstName, agent.lastName].filter(Boolean).join(' ') || agent.userName;
  const states = Object.values(channels);
  return (
    <article class="agent-card panel" aria-labelledby={`agent-${agent.id}`} data-agent={agent.userName}>
      <h3 id={`agent-${agent.id}`}>
        {name} <span class="muted">({agent.userName})</span>
      </h3>
      {states.length === 0 ? (
        <p class="empty">Not logged in on any channel.</p>
      ) : (
        <ul class="channels">
          {states.map((c) => (
            <li key={c.channel}>
              <span class="channel-name">{c.channel}</span>{' '}
              <span class={`state state-${c.userState.state}`}>{c.userState.displayName ?? c.userState.state}</span>
            </li>
          ))}
        </ul>
      )}
      {workbins.map((w) => (
        <WorkbinTable
          key={w.id}
          workbin={w}
          path={`/users/${agent.id}/workbins/${w.id}`}
          statsCount={counts[w.id]}
          actions={[
            {
              label: 'Pull',
              run: (item: Interaction) => session.api.post(`/users/${agent.id}/workbins/${w.id}`, { operationName: 'PullInteraction', id: item.id }),
            },
          ]}
          moveTargets={workbins}
        />
      ))}
    </article>
  );
}

export function SupervisorView() {
  const session = useSession();
  const mine = useMyInteractions();
  const [agents, setAgents] = useState<User[]>([]);
  const [groups, setGroups] = useState<WorkbinInfo[]>([]);
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [agentBins, setAgentBins] = useState<Record<string, WorkbinInfo[]>>({});

  const load = async () => {
    const u = await session.api.get('/users?fields=*');
    const team = ((u.users ?? []) as User[]).filter((x) => x.id !== session.me.id && (x.roles ?? []).includes('ROLE_AGENT'));
    // Only the agents this supervisor may act for answer their channels.
    const visible: User[] = [];
    for (const a of team) {
      try {
        await session.api.get(`/users/${a.id}/channels`);
        visible.push(a);
      } catch {
        /* not supervised by the caller */
      }
    }
    setAgents(visible);
    const w = await session.api.get('/workbins?fields=*');
    const shared = ((w.workbins ?? []) as WorkbinInfo[]).filter((x) => x.type === 'AgentGroup' || x.type === 'PlaceGroup');
    setGroups(shared);
    if (shared.length) {
      await session.api.post(`/workbins?workbinIds=${shared.map((x) => x.id).join(',')}`, { operationName: 'Subscribe' });
      for (const g of shared) await session.api.post(`/workbins/${g.id}`, { operationName: 'RequestStats' });
    }
  };
  useEffect(() => void attempt(session, load), [session.resync]);
  useEffect(
    () =>
      session.bus.listen((_channel, data) => {
        if (data.messageType === 'WorkbinStatsMessage') setCounts((c) => ({ ...c, ...countsFromStats(data) }));
      }),
    [],
  );

  const working = useMemo(() => interactionsIn(mine, (i) => WORKING_STATES.has(i.state)), [mine]);
  const allBins = useMemo(() => [...Object.values(agentBins).flat(), ...groups], [agentBins, groups]);
  const labelOf = (w: WorkbinInfo) => {
    const name = w.displayName || w.name;
    const owner = w.type === 'Agent' ? agents.find((a) => a.id === w.ownerId)?.userName : (w.agentGroup ?? w.placeGroup);
    return owner ? `${name} (${owner})` : name;
  };
  const refreshCounts = () =>
    attempt(session, async () => {
      for (const a of agents) await session.api.post(`/users/${a.id}/workbins`, { operationName: 'RequestAgentStats' });
      for (const g of groups) await session.api.post(`/workbins/${g.id}`, { operationName: 'RequestStats' });
    });

  return (
    <div class="supervisor">
      <section aria-labelledby="team-h" class="panel">
        <div class="row">
          <h2 id="team-h">My team</h2>
          <button type="button" onClick={() => void refreshCounts()}>
            Refresh counts
          </button>
        </div>
        {agents.length === 0 && <p class="empty">No agents to supervise.</p>}
        <div class="team">
          {agents.map((a) => (
            <AgentCard key={a.id} agent={a} counts={counts} onWorkbins={(id, list) => setAgentBins((m) => ({ ...m, [id]: list }))} />
          ))}
        </div>
      </section>
      <section aria-labelledby="groups-h" class="panel">
        <h2 id="groups-h">Group workbins</h2>
        {groups.length === 0 && <p class="empty">No group workbins.</p>}
        {groups.map((g) => (
          <WorkbinTable
            key={g.id}
            workbin={g}
            path={`/workbins/${g.id}`}
            statsCount={counts[g.id]}
            actions={[{ label: 'Pull', run: (item) => session.api.post(`/workbins/${g.id}`, { operationName: 'PullInteraction', id: item.id }) }]}
            moveTargets={groups}
          />
        ))}
      </section>
      <MyInteractions items={working} workbins={allBins} labelOf={labelOf} />
    </div>
  );
}
