// The console: sign-in, then the agent or supervisor view of the signed-in
// user, with one CometD connection feeding every view.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { AgentView } from './AgentView';
import { Api, type Me } from './api';
import { Bus } from './bus';
import { SessionContext, type Session } from './context';
import { Live, type LiveStatus } from './live';
import { SignIn } from './SignIn';
import { SupervisorView } from './SupervisorView';

interface Notice {
  id: number;
  text: string;
  kind: 'error' | 'info';
}

function isSupervisor(me: Me): boolean {
  return (me.roles ?? []).includes('ROLE_SUPERVISOR');
}

function Console({ api, me, onSignOut }: { api: Api; me: Me; onSignOut: () => void }) {
  const bus = useMemo(() => new Bus(), []);
  const [resync, setResync] = useState(0);
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [ready, setReady] = useState(false);
  const [notices, setNotices] = useState<Notice[]>([]);
  const live = useRef<Live | null>(null);
  const nextNotice = useRef(1);
  const supervisor = isSupervisor(me);

  const report = (text: string, kind: 'error' | 'info' = 'error') => {
    const id = nextNotice.current++;
    setNotices((n) => [...n.slice(-3), { id, text, kind }]);
    window.setTimeout(() => setNotices((n) => n.filter((x) => x.id !== id)), 8000);
  };
  const session: Session = { api, me, bus, resync, report };

  useEffect(() => {
    let cancelled = false;
    (async () => {
      if (!supervisor) {
        try {
          await api.post('/me', { operationName: 'StartContactCenterSession', channels: ['workitem', 'email', 'chat'] });
        } catch (e) {
          report(e instanceof Error ? e.message : String(e));
        }
      }
      if (cancelled) return;
      const channels = supervisor ? ['/v2/me/*', '/v2/users/**'] : ['/v2/me/*'];
      live.current = new Live({
        channels,
        onMessage: (channel, data) => bus.emit(channel, data),
        onStatus: setStatus,
        onResync: () => setResync((r) => r + 1),
      });
      live.current.start();
      setReady(true);
    })();
    return () => {
      cancelled = true;
      void live.current?.stop();
    };
  }, []);

  const signOut = async () => {
    await live.current?.stop();
    try {
      await api.post('/me', { operationName: 'EndContactCenterSession' });
    } catch {
      /* the session may be gone already */
    }
    onSignOut();
  };

  const name = [me.firstName, me.lastName].filter(Boolean).join(' ') || me.userName;
  return (
    <SessionContext.Provider value={session}>
      <header class="top">
        <h1>workbind</h1>
        <span class="who">
          {name} · {supervisor ? 'Supervisor' : 'Agent'}
        </span>
        <span class={`live live-${status}`} role="status" data-testid="live-status">
          {status === 'online' ? 'Live' : status === 'offline' ? 'Offline, reconnecting…' : 'Connecting…'}
        </span>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <div class="notices" aria-live="assertive">
        {notices.map((n) => (
          <p key={n.id} class={n.kind} role={n.kind === 'error' ? 'alert' : 'status'}>
            {n.text}
          </p>
        ))}
      </div>
      <main>{ready ? supervisor ? <SupervisorView /> : <AgentView /> : <p class="muted">Starting…</p>}</main>
    </SessionContext.Provider>
  );
}

export function App() {
  const api = useMemo(() => new Api(), []);
  const [me, setMe] = useState<Me | null>(null);
  return me ? <Console api={api} me={me} onSignOut={() => setMe(null)} /> : <SignIn api={api} onSignedIn={setMe} />;
}
