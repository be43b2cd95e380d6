/** The patient's HTTP calls (no credential) and where a ticket's token is kept. */
import type { JoinInfo, JoinRequest, JoinResponse } from '../../../../shared/api.js';

export class JoinError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds to wait (429). */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      ...init,
      cache: 'no-store',
      headers: { accept: 'application/json', ...init.headers },
    });
  } catch {
    throw new JoinError(0, 'network', 'network error');
  }
  if (res.ok) return (await res.json()) as T;
  let code = String(res.status);
  let message = res.statusText;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    code = body.error?.code ?? code;
    message = body.error?.message ?? message;
  } catch {
    // not JSON
  }
  const retry = Number(res.headers.get('retry-after'));
  throw new JoinError(
    res.status,
    code,
    message,
    Number.isFinite(retry) && retry > 0 ? retry : null,
  );
}

export const getJoinInfo = (secret: string): Promise<JoinInfo> =>
  call<JoinInfo>(`/api/join/${encodeURIComponent(secret)}`);

export const postJoin = (secret: string, body: JoinRequest): Promise<JoinResponse> =>
  call<JoinResponse>(`/api/join/${encodeURIComponent(secret)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

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
