import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { formatRoute, navigate } from './router';

interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  to: string;
  query?: Record<string, string | number | undefined>;
}

/** A real link (middle-click, copy address work) that routes in place on a plain click. */
export function Link({ to, query, onClick, ...rest }: LinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey
    )
      return;
    event.preventDefault();
    navigate(to, query);
  };
  return <a href={formatRoute(to, query)} onClick={handleClick} {...rest} />;
}
