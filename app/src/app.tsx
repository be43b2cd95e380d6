import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { connectDoc, type ConnectionStatus, type DocConnection } from './sync/connect.js';

const LIGHT: Record<ConnectionStatus, { color: string; label: string }> = {
  connecting: { color: '#c77700', label: 'Connexion…' },
  synced: { color: '#1a7f37', label: 'Synchronisé' },
  reconnecting: { color: '#c77700', label: 'Reconnexion…' },
  closed: { color: '#b42318', label: 'Accès refusé' },
};

/**
 * Placeholder shell until the staff screens land: shows a document synced
 * through the relay (`/?doc=queue:demo&token=…`).
 */
export function App() {
  const params = useMemo(() => new URLSearchParams(window.location.search), []);
  const docName = params.get('doc');
  const token = params.get('token');
  if (!docName || !token) {
    return (
      <main className="page">
        <h1>QueueMed</h1>
        <p>Salle d’attente en temps réel pour les cliniques.</p>
        <p>
          Ouvrez <code>/?doc=queue:demo&amp;token=…</code> avec un jeton créé par{' '}
          <code>npx queuemed token create</code>.
        </p>
      </main>
    );
  }
  return <DocInspector docName={docName} token={token} />;
}

function DocInspector({ docName, token }: { docName: string; token: string }) {
  const [conn, setConn] = useState<DocConnection | null>(null);
  useEffect(() => {
    const c = connectDoc(docName, token);
    setConn(c);
    (window as unknown as { __queuemed?: DocConnection }).__queuemed = c;
    return () => c.destroy();
  }, [docName, token]);
  if (!conn) return null;
  return <Inspector conn={conn} docName={docName} />;
}

function Inspector({ conn, docName }: { conn: DocConnection; docName: string }) {
  const status = useStore(conn.store, (s) => s.status);
  const reason = useStore(conn.store, (s) => s.closedReason);
  const snapshot = useStore(conn.store, (s) => s.snapshot);
  const light = LIGHT[status];
  return (
    <main className="page">
      <header className="bar">
        <h1>{docName}</h1>
        <span className="light" data-status={status} role="status">
          <span className="dot" style={{ background: light.color }} aria-hidden />
          {light.label}
          {reason ? ` (${reason})` : ''}
        </span>
      </header>
      <pre className="snapshot" data-testid="snapshot">
        {JSON.stringify(snapshot, null, 2)}
      </pre>
    </main>
  );
}
