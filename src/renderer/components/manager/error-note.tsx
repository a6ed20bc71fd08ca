import { Button } from 'react-aria-components';

/** A failed read in the core's words, announced, with a way to try again. */
export function ErrorNote({ message, onRetry, label = 'Try again' }: { message: string; onRetry?: () => void; label?: string }) {
  return (
    <div className="error-note" role="alert">
      <p className="error">{message}</p>
      {onRetry && (
        <Button className="button small" onPress={onRetry}>
          {label}
        </Button>
      )}
    </div>
  );
}
