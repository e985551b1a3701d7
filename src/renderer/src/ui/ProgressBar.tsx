/**
 * A labelled progress bar; indeterminate only while the total is not known
 * (null). A total of 0 is known: nothing to do, an empty bar, never a bar
 * that looks busy for ever.
 */
export function ProgressBar({
  value,
  max,
  label,
}: {
  value: number;
  max: number | null;
  label: string;
}) {
  const known = max !== null;
  const share = max ? Math.min(100, (value / max) * 100) : 0;
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={known ? max : undefined}
      aria-valuenow={known ? value : undefined}
    >
      <div
        className={`progress-fill${known ? '' : ' progress-indeterminate'}`}
        style={known ? { width: `${share}%` } : undefined}
      />
    </div>
  );
}
