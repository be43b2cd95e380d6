/** Clinic name, time zone, locale and daily reset time, through the HTTP API. */
import { useEffect, useState } from 'react';
import type { ClinicPatch, ClinicSettings } from '../../../../../shared/api.js';
import { Button } from '../../../ui/Button.js';
import { Field, TextField } from '../../../ui/Field.js';
import type { ClinicSession } from '../../../stores/clinic-session.js';
import { useT } from '../context.js';
import { useApi, useHttp } from '../use-api.js';
import { Notice, useNotice } from './notice.js';
import { Section } from './parts.js';

export function ClinicSection({ clinic }: { clinic: ClinicSession }) {
  const t = useT();
  const notice = useNotice();
  const http = useHttp();
  const { data, error } = useApi('GET /api/clinics/:clinicId', { clinicId: clinic.clinicId });
  const [form, setForm] = useState<ClinicSettings | null>(null);
  useEffect(() => {
    if (data) setForm(data);
  }, [data]);
  const submit = () => {
    if (!form) return;
    void notice.run(async () =>
      setForm(
        await http.request('PATCH /api/clinics/:clinicId', {
          params: { clinicId: clinic.clinicId },
          body: {
            name: form.name,
            timezone: form.timezone,
            locale: form.locale as ClinicPatch['locale'],
            resetTime: form.resetTime,
          },
        }),
      ),
    );
  };
  return (
    <Section id="clinic" title={t('clinicSettings')}>
      {error && !form && <p className="muted">{notice.errorText(error)}</p>}
      {form && (
        <form
          className="grid-form clinic-form"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <TextField
            label={t('clinicName')}
            value={form.name}
            onValue={(name) => setForm({ ...form, name })}
            required
            maxLength={200}
          />
          <TextField
            label={t('timezone')}
            value={form.timezone}
            onValue={(timezone) => setForm({ ...form, timezone })}
          />
          <Field label={t('locale')}>
            <select
              value={form.locale}
              onChange={(e) => setForm({ ...form, locale: e.target.value })}
            >
              <option value="fr">Français</option>
              <option value="en">English</option>
            </select>
          </Field>
          <TextField
            label={t('resetTime')}
            type="time"
            value={form.resetTime}
            onValue={(resetTime) => setForm({ ...form, resetTime })}
          />
          <div className="form-actions">
            <Button type="submit" variant="primary">
              {t('save')}
            </Button>
          </div>
        </form>
      )}
      <Notice message={notice.message} />
    </Section>
  );
}
