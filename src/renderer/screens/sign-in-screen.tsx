import { useEffect, useState } from 'react';
import { Button, FieldError, Form, Input, Label, Tab, TabList, TabPanel, Tabs, TextField } from 'react-aria-components';
import { useApp, useAppStore } from '../app-context';
import type { SettingLock } from '../../shared/managed-policy';
import { LockedBadge, lockOf } from '../components/locked-badge';

function Field({ name, label, type = 'text', autoComplete, fixed }: { name: string; label: string; type?: string; autoComplete?: string; fixed?: { value: string; lock: SettingLock } | null }) {
  return (
    <TextField
      // The fixed server arrives after the first render: a new key shows it.
      key={fixed?.value ?? ''}
      className="field"
      name={name}
      type={type}
      isRequired
      validationBehavior="aria"
      {...(autoComplete ? { autoComplete } : {})}
      {...(fixed ? { defaultValue: fixed.value, isReadOnly: true } : {})}
    >
      <Label>{label}</Label>
      <Input />
      {fixed && <LockedBadge lock={fixed.lock} />}
      <FieldError className="field-error" />
    </TextField>
  );
}

/** The server IT's policy file fixes, if it does: the forms show it read-only, with the lock. */
function useFixedServer(): { value: string; lock: SettingLock } | null {
  const { api } = useApp();
  const [fixed, setFixed] = useState<{ value: string; lock: SettingLock } | null>(null);
  useEffect(() => {
    api['settings.get']({}).then(
      (s) => {
        const lock = lockOf(s.managed?.locks, 'serverUrl');
        setFixed(lock && s.managed?.serverUrl ? { value: s.managed.serverUrl, lock } : null);
      },
      () => setFixed(null),
    );
  }, [api]);
  return fixed;
}

const value = (form: FormData, key: string) => String(form.get(key) ?? '');

/** Sign in with email and password, or enroll this device with a token from the manager. */
export function SignInScreen() {
  const { stores } = useApp();
  const { session, busy, error, fieldErrors, notice } = useAppStore((s) => s.session, (s) => s);
  const [confirmSignOut, setConfirmSignOut] = useState(false);
  const actions = stores.session.getState();
  const fixedServer = useFixedServer();
  if (session === null) return <p className="loading">Loading your session…</p>;
  if (session !== 'unknown' && session.state === 'signed-in')
    return (
      <section className="card">
        <p className="big">
          Signed in as {session.user.name} ({session.user.email}), {session.role} at {session.org.name}
        </p>
        <p className="muted policy-line">
          <span>Server: {session.serverUrl}</span>
          {fixedServer && <LockedBadge lock={fixedServer.lock} />}
        </p>
        {error && <p className="error" role="alert">{error}</p>}
        <Button
          className="button danger"
          isDisabled={busy}
          onPress={() => {
            void actions.signOut(confirmSignOut);
            setConfirmSignOut(true);
          }}
        >
          {confirmSignOut && error ? 'Sign out anyway (queued records stay on this device)' : 'Sign out'}
        </Button>
      </section>
    );
  return (
    <div className="stack">
      {notice && <p className="notice">{notice}</p>}
      <Tabs className="sub-tabs">
        <TabList aria-label="How to sign in" className="sub-tab-list">
          <Tab id="password" className="sub-tab">Email and password</Tab>
          <Tab id="enroll" className="sub-tab">Enrollment token</Tab>
        </TabList>
        <TabPanel id="password" className="card">
          <Form
            className="form"
            validationBehavior="aria"
            validationErrors={fieldErrors}
            onSubmit={(e) => {
              e.preventDefault();
              const f = new FormData(e.currentTarget);
              void actions.signIn({ serverUrl: value(f, 'serverUrl'), email: value(f, 'email'), password: value(f, 'password') });
            }}
          >
            <Field name="serverUrl" label="Server address" type="url" autoComplete="url" fixed={fixedServer} />
            <Field name="email" label="Email" type="email" autoComplete="username" />
            <Field name="password" label="Password" type="password" autoComplete="current-password" />
            {error && <p className="error" role="alert">{error}</p>}
            <Button type="submit" className="button primary" isDisabled={busy}>
              Sign in
            </Button>
          </Form>
        </TabPanel>
        <TabPanel id="enroll" className="card">
          <Form
            className="form"
            validationBehavior="aria"
            validationErrors={fieldErrors}
            onSubmit={(e) => {
              e.preventDefault();
              const f = new FormData(e.currentTarget);
              void actions.enroll({ serverUrl: value(f, 'serverUrl'), token: value(f, 'token') });
            }}
          >
            <Field name="serverUrl" label="Server address" type="url" autoComplete="url" fixed={fixedServer} />
            <Field name="token" label="Enrollment token" autoComplete="off" />
            {error && <p className="error" role="alert">{error}</p>}
            <Button type="submit" className="button primary" isDisabled={busy}>
              Enroll this device
            </Button>
          </Form>
        </TabPanel>
      </Tabs>
    </div>
  );
}
