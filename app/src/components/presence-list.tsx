import type { PeerPresence } from '../stores/presence-store.js';
import { PresenceChip } from '../ui/PresenceChip.js';
import './presence-list.css';

/**
 * Avatars of who is online, with name, role and what they are doing in the
 * tooltip and list; a colleague not heard from lately is dimmed.
 */
export function PresenceList({
  people,
  label,
  describe,
}: {
  people: readonly PeerPresence[];
  label: string;
  describe: (p: PeerPresence) => string;
}) {
  return (
    <ul className="presence" aria-label={label}>
      {people.map((p) => (
        <li
          key={p.user.id}
          className={p.stale ? 'presence-person stale' : 'presence-person'}
          title={describe(p)}
          data-user={p.user.id}
          data-stale={p.stale || undefined}
        >
          <PresenceChip name={p.user.name} color={p.user.color} stale={p.stale} />
          <span className="sr-only">{describe(p)}</span>
        </li>
      ))}
    </ul>
  );
}
