import type { ReactNode } from 'react';

/** One figure in a `stat-grid` list: its label, its value, and anything shown under it (a bar). */
export function Stat({
  label,
  value,
  valueClassName,
  children,
}: {
  label: string;
  value: ReactNode;
  valueClassName?: string;
  children?: ReactNode;
}) {
  return (
    <div>
      <dt>{label}</dt>
      <dd className={valueClassName}>{value}</dd>
      {children}
    </div>
  );
}
