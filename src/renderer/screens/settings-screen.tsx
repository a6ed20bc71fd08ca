import { useEffect, useState } from 'react';
import { Button, FieldError, Form, Input, Label, TextField } from 'react-aria-components';
import { useApp } from '../app-context';
import { describeError } from '../stores/errors';
import type { AutoStart } from '../../shared/tracker-api';
import { AutoStartSwitch } from '../components/auto-start-switch';

export function SettingsScreen() {
  const { api } = useApp();
  const [name, setName] = useState<string | null>(null);
  const [autoStart, setAutoStart] = useState<AutoStart | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api['settings.get']({}).then(
      (s) => {
        setName(s.deviceName);
        setAutoStart(s.autoStart);
      },
      (e: unknown) => setMessage(describeError(e).message),
    );
  }, [api]);
  if (name === null || autoStart === null) return message ? <p className="error" role="alert">{message}</p> : <p className="loading">Loading settings…</p>;
  const save = async () => {
    setBusy(true);
    setMessage(null);
    try {
      const s = await api['settings.update']({ deviceName: name.trim() });
      setName(s.deviceName);
      setErrors({});
      setMessage('Saved');
    } catch (e) {
      const d = describeError(e);
      setErrors(Object.keys(d.fields).length ? d.fields : {});
      if (!Object.keys(d.fields).length) setMessage(d.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card">
      <Form
        className="form"
        validationBehavior="aria"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <TextField
          className="field"
          name="deviceName"
          value={name}
          onChange={(v) => {
            setName(v);
            setErrors({});
          }}
          isRequired
          maxLength={200}
          validationBehavior="aria"
          isInvalid={errors.deviceName !== undefined}
        >
          <Label>Device name</Label>
          <Input />
          <FieldError className="field-error">{errors.deviceName}</FieldError>
        </TextField>
        <p className="hint">Your manager sees this name next to your screenshots.</p>
        <div className="actions">
          <Button type="submit" className="button primary" isDisabled={busy}>
            Save
          </Button>
          {message && <span role="status">{message}</span>}
        </div>
      </Form>
      <AutoStartSwitch initial={autoStart} />
    </section>
  );
}
