/**
 * The ok/error line under each admin section: what the last action did.
 * Queue edits report a domain result; HTTP calls report saved or the error.
 */
import { useState } from 'react';
import type { QueueError } from '../../../../../shared/queue/index.js';
import { ApiError } from '../../../sync/api.js';
import { useT } from '../context.js';

export type NoticeMessage = { kind: 'ok' | 'error'; text: string } | null;

/** How an admin section words a failed request. */
export function useErrorText(): (e: unknown) => string {
  const t = useT();
  return (e) =>
    e instanceof ApiError
      ? e.status === 404
        ? t('notAvailable')
        : e.status === 0
          ? t('networkError')
          : e.message
      : String(e);
}

export function useNotice() {
  const t = useT();
  const errorText = useErrorText();
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
  return (
    <p
      className={`alert ${message.kind === 'error' ? 'alert-error' : 'alert-ok'}`}
      role={message.kind === 'error' ? 'alert' : 'status'}
    >
      {message.text}
    </p>
  );
}
