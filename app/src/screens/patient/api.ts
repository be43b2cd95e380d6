/**
 * Where a ticket's patient token is kept (the link's fragment carries it the
 * first time), and the ticket page's address. The join calls go through the
 * app's HTTP client (sync/http.ts) from join-screen.tsx.
 */
const tokenKey = (clinicId: string, entryId: string) => `queuemed.ticket.${clinicId}.${entryId}`;

export function saveTicketToken(clinicId: string, entryId: string, token: string): void {
  try {
    localStorage.setItem(tokenKey(clinicId, entryId), token);
  } catch {
    // Private mode: the token stays in the URL fragment.
  }
}

export function loadTicketToken(clinicId: string, entryId: string): string | null {
  try {
    return localStorage.getItem(tokenKey(clinicId, entryId));
  } catch {
    return null;
  }
}

/** The ticket page: same origin as this page (PUBLIC_URL may name another host). */
export const ticketPath = (clinicId: string, entryId: string, token: string): string =>
  `/ticket/${encodeURIComponent(clinicId)}/${encodeURIComponent(entryId)}#${token}`;
