/** A labelled progress bar; indeterminate when the total is not known yet. */
export function ProgressBar({ value, max, label }: { value: number; max: number | null; label: string }) {
  const known = max !== null && max > 0;
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={known ? max : undefined} aria-valuenow={known ? value : undefined}>
      <div className={`progress-fill${known ? '' : ' progress-indeterminate'}`} style={known ? { width: `${Math.min(100, (value / max) * 100)}%` } : undefined} />
    </div>
  );
}
