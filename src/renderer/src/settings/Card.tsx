import { useEffect, useRef, type ReactNode } from 'react';

/** One maintenance action's card; `highlight` scrolls to it and focuses its first button (a deep link). */
export function Card({
  id,
  title,
  children,
  highlight = false,
}: {
  id: string;
  title: string;
  children: ReactNode;
  highlight?: boolean;
}) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!highlight) return;
    ref.current?.scrollIntoView({ block: 'center' });
    ref.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, [highlight]);
  return (
    <article
      ref={ref}
      className={`card${highlight ? ' card-highlight' : ''}`}
      aria-labelledby={`${id}-title`}
      data-action={id}
    >
      <h3 id={`${id}-title`}>{title}</h3>
      {children}
    </article>
  );
}
