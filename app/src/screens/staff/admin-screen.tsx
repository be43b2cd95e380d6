/**
 * Admin: clinic settings, services and rooms (domain ops on the public
 * doc), staff accounts, displays, the QR join link and API keys (HTTP API).
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type {
  ApiKeyView,
  ClinicSettings,
  DisplayView,
  JoinLinkView,
} from '../../../../shared/api.js';
import {
  isPrefix,
  isRoomId,
  isServiceId,
  type QueueError,
  type RoomId,
  type ServiceId,
} from '../../../../shared/queue/index.js';
import { useLocale } from '../../i18n/index.js';
import type { ClinicSession } from '../../stores/clinic-session.js';
import { ApiError, api } from '../../sync/api.js';
import { useSession, useT } from './context.js';
import { dateTime } from './format.js';
import type { StaffKey } from './strings.js';
import { useApi } from './use-api.js';

type Msg = { kind: 'ok' | 'error'; text: string } | null;

function useErrorMessage() {
  const t = useT();
  return (e: unknown) =>
    e instanceof ApiError
      ? e.status === 404
        ? t('notAvailable')
        : e.status === 0
          ? t('networkError')
          : e.message
      : String(e);
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="card admin-section" aria-labelledby={`${id}-title`} id={id}>
      <h2 id={`${id}-title`} className="card-title">
        {title}
      </h2>
      {children}
    </section>
  );
}

function Notice({ msg }: { msg: Msg }) {
  if (!msg) return null;
  return (
    <p
      className={`alert ${msg.kind === 'error' ? 'alert-error' : 'alert-ok'}`}
      role={msg.kind === 'error' ? 'alert' : 'status'}
    >
      {msg.text}
    </p>
  );
}

export function AdminScreen({ clinic }: { clinic: ClinicSession }) {
  const t = useT();
  const setActivity = useStore(clinic.presence, (s) => s.setActivity);
  useEffect(() => setActivity({ screen: 'admin' }), [setActivity]);
  return (
    <main className="page admin" id="main">
      <div className="page-head">
        <h1>{t('admin')}</h1>
      </div>
      <div className="admin-grid">
        <ClinicSection clinic={clinic} />
        <ServicesSection clinic={clinic} />
        <RoomsSection clinic={clinic} />
        <StaffSection clinicId={clinic.clinicId} />
        <DisplaysSection clinicId={clinic.clinicId} />
        <JoinLinkSection clinicId={clinic.clinicId} />
        <ApiKeysSection clinicId={clinic.clinicId} />
      </div>
    </main>
  );
}

function ClinicSection({ clinic }: { clinic: ClinicSession }) {
  const t = useT();
  const errorText = useErrorMessage();
  const { data, error } = useApi<ClinicSettings>(`/api/clinics/${clinic.clinicId}`);
  const [form, setForm] = useState<ClinicSettings | null>(null);
  const [msg, setMsg] = useState<Msg>(null);
  useEffect(() => {
    if (data) setForm(data);
  }, [data]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!form) return;
    try {
      const next = await api<ClinicSettings>('PATCH', `/api/clinics/${clinic.clinicId}`, {
        name: form.name,
        timezone: form.timezone,
        locale: form.locale,
        resetTime: form.resetTime,
      });
      setForm(next);
      setMsg({ kind: 'ok', text: t('saved') });
    } catch (err) {
      setMsg({ kind: 'error', text: errorText(err) });
    }
  };
  return (
    <Section id="clinic" title={t('clinicSettings')}>
      {error && !form && <p className="muted">{errorText(error)}</p>}
      {form && (
        <form className="grid-form" onSubmit={submit}>
          <label className="field">
            <span>{t('clinicName')}</span>
            <input
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
              required
              maxLength={200}
            />
          </label>
          <label className="field">
            <span>{t('timezone')}</span>
            <input
              value={form.timezone}
              onChange={(e) => setForm({ ...form, timezone: e.target.value })}
            />
          </label>
          <label className="field">
            <span>{t('locale')}</span>
            <select
              value={form.locale}
              onChange={(e) => setForm({ ...form, locale: e.target.value })}
            >
              <option value="fr">Français</option>
              <option value="en">English</option>
            </select>
          </label>
          <label className="field">
            <span>{t('resetTime')}</span>
            <input
              type="time"
              value={form.resetTime}
              onChange={(e) => setForm({ ...form, resetTime: e.target.value })}
            />
          </label>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary">
              {t('save')}
            </button>
          </div>
        </form>
      )}
      <Notice msg={msg} />
    </Section>
  );
}

function ServicesSection({ clinic }: { clinic: ClinicSession }) {
  const t = useT();
  const services = useStore(clinic.queue, (s) => s.services);
  const [msg, setMsg] = useState<Msg>(null);
  const [draft, setDraft] = useState({ id: '', name: '', prefix: '', minutes: '10' });
  const report = (r: { ok: true } | { ok: false; error: QueueError }) =>
    setMsg(r.ok ? { kind: 'ok', text: t('saved') } : { kind: 'error', text: r.error.message });
  const add = (e: FormEvent) => {
    e.preventDefault();
    const id = draft.id.trim().toLowerCase();
    const prefix = draft.prefix.trim().toUpperCase();
    if (!isServiceId(id) || !isPrefix(prefix)) {
      setMsg({ kind: 'error', text: `${t('serviceId')} / ${t('prefix')}` });
      return;
    }
    report(
      clinic.queue.getState().configureService({
        id: id as ServiceId,
        name: draft.name.trim() || id,
        prefix,
        defaultMinutes: Number(draft.minutes) || 10,
        open: true,
      }),
    );
    setDraft({ id: '', name: '', prefix: '', minutes: '10' });
  };
  return (
    <Section id="services" title={t('services')}>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">{t('serviceName')}</th>
            <th scope="col">{t('prefix')}</th>
            <th scope="col">{t('defaultMinutes')}</th>
            <th scope="col">{t('open')}</th>
          </tr>
        </thead>
        <tbody>
          {services.map((s) => (
            <tr key={s.id}>
              <td>
                {s.name} <span className="muted">({s.id})</span>
              </td>
              <td>{s.prefix}</td>
              <td>{s.defaultMinutes}</td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${t('open')} ${s.name}`}
                  checked={s.open}
                  onChange={(e) =>
                    report(
                      clinic.queue
                        .getState()
                        .configureService({ id: s.id, open: e.target.checked }),
                    )
                  }
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="inline-form" onSubmit={add}>
        <label className="field">
          <span>{t('serviceId')}</span>
          <input
            value={draft.id}
            onChange={(e) => setDraft({ ...draft, id: e.target.value })}

            size={10}
          />
        </label>
        <label className="field grow">
          <span>{t('serviceName')}</span>
          <input
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
          />
        </label>
        <label className="field">
          <span>{t('prefix')}</span>
          <input
            value={draft.prefix}
            onChange={(e) => setDraft({ ...draft, prefix: e.target.value })}
            maxLength={1}
            size={2}
          />
        </label>
        <label className="field">
          <span>{t('defaultMinutes')}</span>
          <input
            type="number"
            min={1}
            max={240}
            value={draft.minutes}
            onChange={(e) => setDraft({ ...draft, minutes: e.target.value })}
          />
        </label>
        <button type="submit" className="btn">
          {t('addService')}
        </button>
      </form>
      <Notice msg={msg} />
    </Section>
  );
}

function RoomsSection({ clinic }: { clinic: ClinicSession }) {
  const t = useT();
  const rooms = useStore(clinic.queue, (s) => s.rooms);
  const [msg, setMsg] = useState<Msg>(null);
  const [draft, setDraft] = useState({ id: '', name: '' });
  const report = (r: { ok: true } | { ok: false; error: QueueError }) =>
    setMsg(r.ok ? { kind: 'ok', text: t('saved') } : { kind: 'error', text: r.error.message });
  const add = (e: FormEvent) => {
    e.preventDefault();
    const id = draft.id.trim();
    if (!isRoomId(id)) return setMsg({ kind: 'error', text: t('roomId') });
    report(
      clinic.queue.getState().configureRoom({
        id: id as RoomId,
        name: draft.name.trim() || `${t('room')} ${id}`,
        open: true,
      }),
    );
    setDraft({ id: '', name: '' });
  };
  return (
    <Section id="rooms" title={t('rooms')}>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">{t('roomId')}</th>
            <th scope="col">{t('roomName')}</th>
            <th scope="col">{t('open')}</th>
            <th scope="col">
              <span className="sr-only">{t('colActions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rooms.map((r) => (
            <tr key={r.id}>
              <td>{r.id}</td>
              <td>{r.name}</td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${t('open')} ${r.name}`}
                  checked={r.open}
                  onChange={(e) =>
                    report(
                      clinic.queue.getState().configureRoom({ id: r.id, open: e.target.checked }),
                    )
                  }
                />
              </td>
              <td className="col-actions">
                <button
                  type="button"
                  className="btn btn-small btn-ghost"
                  onClick={() => report(clinic.queue.getState().removeRoom(r.id))}
                >
                  {t('remove')}
                  <span className="sr-only"> {r.name}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="inline-form" onSubmit={add}>
        <label className="field">
          <span>{t('roomId')}</span>
          <input
            value={draft.id}
            onChange={(e) => setDraft({ ...draft, id: e.target.value })}
            size={6}
            maxLength={40}
          />
        </label>
        <label className="field grow">
          <span>{t('roomName')}</span>
          <input
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
          />
        </label>
        <button type="submit" className="btn">
          {t('addRoom')}
        </button>
      </form>
      <Notice msg={msg} />
    </Section>
  );
}

interface StaffRow {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'receptionist' | 'doctor';
  disabled: boolean;
}

function StaffSection({ clinicId }: { clinicId: string }) {
  const t = useT();
  const errorText = useErrorMessage();
  const me = useSession((s) => s.session?.user.id);
  const { data, error, reload } = useApi<{ staff: StaffRow[] }>(`/api/clinics/${clinicId}/staff`);
  const [msg, setMsg] = useState<Msg>(null);
  const [draft, setDraft] = useState({ email: '', name: '', role: 'receptionist', password: '' });
  const run = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setMsg({ kind: 'ok', text: t('saved') });
      reload();
    } catch (e) {
      setMsg({ kind: 'error', text: errorText(e) });
    }
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    void run(() => api('POST', `/api/clinics/${clinicId}/staff`, draft)).then(() =>
      setDraft({ email: '', name: '', role: 'receptionist', password: '' }),
    );
  };
  return (
    <Section id="staff" title={t('staff')}>
      {error && <p className="muted">{errorText(error)}</p>}
      {data && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('email')}</th>
              <th scope="col">{t('role')}</th>
              <th scope="col">
                <span className="sr-only">{t('colActions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.staff.map((s) => (
              <tr key={s.id} className={s.disabled ? 'muted-row' : ''}>
                <td>
                  {s.name} {s.disabled && <span className="badge">{t('disabledLabel')}</span>}
                </td>
                <td>{s.email}</td>
                <td>
                  <select
                    aria-label={`${t('role')} ${s.name}`}
                    value={s.role}
                    disabled={s.id === me}
                    onChange={(e) =>
                      void run(() =>
                        api('PATCH', `/api/clinics/${clinicId}/staff/${s.id}`, {
                          role: e.target.value,
                        }),
                      )
                    }
                  >
                    {(['admin', 'receptionist', 'doctor'] as const).map((r) => (
                      <option key={r} value={r}>
                        {t(`role_${r}` as StaffKey)}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="col-actions">
                  {s.id !== me && (
                    <button
                      type="button"
                      className="btn btn-small btn-ghost"
                      onClick={() =>
                        void run(() =>
                          api('PATCH', `/api/clinics/${clinicId}/staff/${s.id}`, {
                            disabled: !s.disabled,
                          }),
                        )
                      }
                    >
                      {s.disabled ? t('enable') : t('disable')}
                      <span className="sr-only"> {s.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="inline-form wrap" onSubmit={add}>
        <label className="field">
          <span>{t('name')}</span>
          <input
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
            required
          />
        </label>
        <label className="field">
          <span>{t('email')}</span>
          <input
            type="email"
            value={draft.email}
            onChange={(e) => setDraft({ ...draft, email: e.target.value })}
            required
          />
        </label>
        <label className="field">
          <span>{t('role')}</span>
          <select value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value })}>
            {(['receptionist', 'doctor', 'admin'] as const).map((r) => (
              <option key={r} value={r}>
                {t(`role_${r}` as StaffKey)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('initialPassword')}</span>
          <input
            type="password"
            autoComplete="new-password"
            value={draft.password}
            onChange={(e) => setDraft({ ...draft, password: e.target.value })}
            required
            minLength={8}
          />
        </label>
        <button type="submit" className="btn">
          {t('addStaff')}
        </button>
      </form>
      <Notice msg={msg} />
    </Section>
  );
}

function DisplaysSection({ clinicId }: { clinicId: string }) {
  const t = useT();
  const errorText = useErrorMessage();
  const { data, error, reload } = useApi<{ displays: DisplayView[] }>(
    `/api/clinics/${clinicId}/displays`,
  );
  const [msg, setMsg] = useState<Msg>(null);
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  useEffect(() => {
    const id = setInterval(reload, 15_000); // online status
    return () => clearInterval(id);
  }, [reload]);
  const run = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setMsg({ kind: 'ok', text: t('saved') });
      reload();
    } catch (e) {
      setMsg({ kind: 'error', text: errorText(e) });
    }
  };
  return (
    <Section id="displays" title={t('displays')}>
      {error && !data && <p className="muted">{errorText(error)}</p>}
      {data &&
        (data.displays.length === 0 ? (
          <p className="empty">{t('noDisplays')}</p>
        ) : (
          <ul className="device-list">
            {data.displays.map((d) => (
              <li key={d.id}>
                <span
                  className={`dot ${d.online && !d.revoked ? 'dot-ok' : 'dot-off'}`}
                  aria-hidden="true"
                />
                <strong>{d.name}</strong>
                <span className="muted">
                  {d.revoked ? t('revoked') : d.online ? t('displayOnline') : t('displayOffline')}
                </span>
                {!d.revoked && (
                  <button
                    type="button"
                    className="btn btn-small btn-ghost"
                    onClick={() =>
                      void run(() => api('DELETE', `/api/clinics/${clinicId}/displays/${d.id}`))
                    }
                  >
                    {t('revoke')}
                    <span className="sr-only"> {d.name}</span>
                  </button>
                )}
              </li>
            ))}
          </ul>
        ))}
      {error?.status !== 404 && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() =>
              api('POST', '/api/displays/pair', {
                code: code.trim().toUpperCase(),
                clinicId,
                ...(name.trim() ? { name: name.trim() } : {}),
              }),
            ).then(() => {
              setCode('');
              setName('');
            });
          }}
        >
          <label className="field">
            <span>{t('pairCode')}</span>
            <input
              value={code}
              onChange={(e) => setCode(e.target.value)}
              required
              minLength={4}
              maxLength={16}
              placeholder="K7P-4QX"
            />
          </label>
          <label className="field grow">
            <span>{t('displayName')}</span>
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
          </label>
          <button type="submit" className="btn">
            {t('pair')}
          </button>
        </form>
      )}
      <Notice msg={msg} />
    </Section>
  );
}

function JoinLinkSection({ clinicId }: { clinicId: string }) {
  const t = useT();
  const [locale] = useLocale();
  const errorText = useErrorMessage();
  const { data, error } = useApi<JoinLinkView>(`/api/clinics/${clinicId}/join-link`);
  const [link, setLink] = useState<JoinLinkView | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [msg, setMsg] = useState<Msg>(null);
  useEffect(() => {
    if (data) setLink(data);
  }, [data]);
  useEffect(() => {
    if (!link) return;
    let live = true;
    void import('qrcode').then((QR) =>
      QR.toString(link.url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then((svg) => {
        if (live) setQr(svg);
      }),
    );
    return () => {
      live = false;
    };
  }, [link]);
  const regenerate = async () => {
    if (!window.confirm(t('confirmRegenerate'))) return;
    try {
      setLink(await api<JoinLinkView>('POST', `/api/clinics/${clinicId}/join-link/regenerate`));
      setMsg({ kind: 'ok', text: t('saved') });
    } catch (e) {
      setMsg({ kind: 'error', text: errorText(e) });
    }
  };
  return (
    <Section id="join" title={t('joinLink')}>
      {error && !link && <p className="muted">{errorText(error)}</p>}
      {link && (
        <div className="join-link printable">
          {qr && (
            <div
              className="qr"
              role="img"
              aria-label={link.url}
              dangerouslySetInnerHTML={{ __html: qr }}
            />
          )}
          <div className="stack">
            <a href={link.url} className="mono break">
              {link.url}
            </a>
            <span className="muted">
              {t('validUntil', { date: dateTime(link.validUntil, locale) })}
            </span>
            <div className="form-actions no-print">
              <button type="button" className="btn" onClick={() => window.print()}>
                {t('print')}
              </button>
              <button type="button" className="btn btn-ghost" onClick={() => void regenerate()}>
                {t('regenerate')}
              </button>
            </div>
          </div>
        </div>
      )}
      <Notice msg={msg} />
    </Section>
  );
}

function ApiKeysSection({ clinicId }: { clinicId: string }) {
  const t = useT();
  const errorText = useErrorMessage();
  const { data, error, reload } = useApi<{ apiKeys: ApiKeyView[] }>(
    `/api/clinics/${clinicId}/api-keys`,
  );
  const [label, setLabel] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [msg, setMsg] = useState<Msg>(null);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const r = await api<{ apiKey: ApiKeyView; key: string }>(
        'POST',
        `/api/clinics/${clinicId}/api-keys`,
        { label: label.trim() },
      );
      setCreated(r.key);
      setLabel('');
      setMsg(null);
      reload();
    } catch (err) {
      setMsg({ kind: 'error', text: errorText(err) });
    }
  };
  const revoke = async (id: string) => {
    try {
      await api('DELETE', `/api/clinics/${clinicId}/api-keys/${id}`);
      reload();
    } catch (err) {
      setMsg({ kind: 'error', text: errorText(err) });
    }
  };
  return (
    <Section id="api-keys" title={t('apiKeys')}>
      {error && !data && <p className="muted">{errorText(error)}</p>}
      {created && (
        <div className="alert alert-ok" role="status">
          {t('keyShownOnce')} <code className="mono break">{created}</code>
        </div>
      )}
      {data &&
        (data.apiKeys.length === 0 ? (
          <p className="empty">{t('noKeys')}</p>
        ) : (
          <ul className="device-list">
            {data.apiKeys.map((k) => (
              <li key={k.id}>
                <strong>{k.label}</strong>
                <span className="muted">{k.revoked ? t('revoked') : ''}</span>
                {!k.revoked && (
                  <button
                    type="button"
                    className="btn btn-small btn-ghost"
                    onClick={() => void revoke(k.id)}
                  >
                    {t('revoke')}
                    <span className="sr-only"> {k.label}</span>
                  </button>
                )}
              </li>
            ))}
          </ul>
        ))}
      {error?.status !== 404 && (
        <form className="inline-form" onSubmit={create}>
          <label className="field grow">
            <span>{t('keyLabel')}</span>
            <input
              value={label}
              onChange={(e) => setLabel(e.target.value)}
              required
              maxLength={200}
            />
          </label>
          <button type="submit" className="btn">
            {t('createKey')}
          </button>
        </form>
      )}
      <Notice msg={msg} />
    </Section>
  );
}
