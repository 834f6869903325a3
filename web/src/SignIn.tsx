import { useState } from 'preact/hooks';
import type { Api, Me } from './api';

const DEMO = [
  ['alice', 'agent'],
  ['bob', 'agent'],
  ['sam', 'supervisor'],
];

export function SignIn({ api, onSignedIn }: { api: Api; onSignedIn: (me: Me) => void }) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <main class="signin">
      <h1>workbind console</h1>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError('');
          try {
            onSignedIn(await api.signIn(user.trim(), password));
          } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
          } finally {
            setBusy(false);
          }
        }}
      >
        <label for="user">User name</label>
        <input id="user" name="username" autocomplete="username" required value={user} onInput={(e) => setUser((e.target as HTMLInputElement).value)} />
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
        />
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p class="muted hint">
        Demo users: {DEMO.map(([u, r]) => `${u} (${r}, password ${u}-demo-pw)`).join(', ')}.
      </p>
    </main>
  );
}
