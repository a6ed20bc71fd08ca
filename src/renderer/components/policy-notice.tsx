import { useAppStore } from '../app-context';

/** IT's policy file could not be applied: said once, at the top, in words the employee can pass on to IT. */
export function PolicyNotice() {
  const error = useAppStore((s) => s.status, (s) => s.status?.policyError ?? null);
  if (!error) return null;
  return (
    <div className="policy-notice" role="alert">
      <strong>Your organisation's policy file has a problem.</strong> Stint keeps working with the last settings that were valid; please tell your IT department: <code>{error}</code>
    </div>
  );
}
