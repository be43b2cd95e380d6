/**
 * The ok/error line under each admin section: what the last action did.
 * Queue edits report a domain result; HTTP calls report saved or the error.
 */
import { useState } from 'react';
import type { QueueError } from '../../../../../shared/queue/index.js';
import { HttpError } from '../../../sync/http.js';
import { Notice as Banner } from '../../../ui/Notice.js';
import { useT } from '../context.js';
import type { StaffKey } from '../strings.js';

export type NoticeMessage = { kind: 'ok' | 'error'; text: string } | null;

/** How an admin section words a failed request: our own words for the codes we know, else the server's. */
export function useErrorText(
  known: Partial<Record<string, StaffKey>> = {},
): (e: unknown) => string {
  const t = useT();
  return (e) => {
    if (!(e instanceof HttpError)) return String(e);
    if (e.code === 'no-route') return t('notAvailable');
    if (e.status === 0) return t('networkError');
    const key = known[`${e.status} ${e.code}`] ?? known[String(e.status)];
    return key ? t(key) : e.message;
  };
}

export function useNotice(known?: Partial<Record<string, StaffKey>>) {
  const t = useT();
  const errorText = useErrorText(known);
  const [message, setMessage] = useState<NoticeMessage>(null);
  const saved = () => setMessage({ kind: 'ok', text: t('saved') });
  const error = (text: string) => setMessage({ kind: 'error', text });
  /** Runs a request; a failure shows on the notice and resolves to false. */
  const attempt = async (fn: () => Promise<unknown>): Promise<boolean> => {
    try {
      await fn();
      return true;
    } catch (e) {
      error(errorText(e));
      return false;
    }
  };
  return {
    message,
    errorText,
    error,
    clear: () => setMessage(null),
    /** A domain operation on the queue doc. */
    report: (r: { ok: true } | { ok: false; error: QueueError }) =>
      r.ok ? saved() : error(r.error.message),
    attempt,
    /** Runs a request, then says saved and calls `onOk`. Never rejects. */
    run: async (fn: () => Promise<unknown>, onOk?: () => void): Promise<void> => {
      if (!(await attempt(fn))) return;
      saved();
      onOk?.();
    },
  };
}

export function Notice({ message }: { message: NoticeMessage }) {
  if (!message) return null;
  return <Banner tone={message.kind === 'error' ? 'danger' : 'success'}>{message.text}</Banner>;
}
