import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api, Me } from './api';
import type { Bus } from './bus';

// What every view of a signed-in user needs.
export interface Session {
  api: Api;
  me: Me;
  bus: Bus;
  // Grows at every re-synchronisation (re-handshake, connection back): views
  // read their state again when it changes.
  resync: number;
  // Shows an error (the server's statusMessage) or a notice to the user.
  report: (message: string, kind?: 'error' | 'info') => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('no session');
  return s;
}

// Runs an API call and reports its failure in words.
export async function attempt(session: Session, what: () => Promise<unknown>): Promise<boolean> {
  try {
    await what();
    return true;
  } catch (e) {
    session.report(e instanceof Error ? e.message : String(e));
    return false;
  }
}
