import { Component, useState, type ErrorInfo, type ReactNode } from 'react';
import { useReconnect } from './services';

/**
 * One screen's failure stays that screen's: the header and navigation stay
 * up, the error is said in words, and the screen is tried again on Retry or
 * by itself when the connection to the core comes back.
 */
export function ScreenBoundary({ children }: { children: ReactNode }) {
  const [attempt, setAttempt] = useState(0);
  useReconnect(() => setAttempt((n) => n + 1));
  return (
    <Boundary attempt={attempt} onRetry={() => setAttempt((n) => n + 1)}>
      {children}
    </Boundary>
  );
}

interface BoundaryProps {
  attempt: number;
  onRetry(): void;
  children: ReactNode;
}

class Boundary extends Component<BoundaryProps, { error: Error | null; attempt: number }> {
  override state = { error: null as Error | null, attempt: this.props.attempt };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  static getDerivedStateFromProps(
    props: BoundaryProps,
    state: { error: Error | null; attempt: number },
  ) {
    // A new attempt (Retry, or the connection is back): render the screen again.
    return props.attempt === state.attempt ? null : { error: null, attempt: props.attempt };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('Screen failed:', error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="page-message" role="alert" data-screen-error>
        <p className="error-text">This screen failed: {this.state.error.message}</p>
        <p className="muted">It is tried again when the connection to Timelapser comes back.</p>
        <button type="button" onClick={this.props.onRetry}>
          Retry now
        </button>
      </div>
    );
  }
}
