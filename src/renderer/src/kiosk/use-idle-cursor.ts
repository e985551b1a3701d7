import { useEffect, useState, type RefObject } from 'react';

/** True after `idleMs` without pointer movement over the element: the kiosk hides the cursor then. */
export function useIdleCursor(ref: RefObject<HTMLElement | null>, idleMs = 3000): boolean {
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    let timer = setTimeout(() => setIdle(true), idleMs);
    const wake = () => {
      setIdle(false);
      clearTimeout(timer);
      timer = setTimeout(() => setIdle(true), idleMs);
    };
    element.addEventListener('pointermove', wake);
    element.addEventListener('pointerdown', wake);
    return () => {
      clearTimeout(timer);
      element.removeEventListener('pointermove', wake);
      element.removeEventListener('pointerdown', wake);
    };
  }, [ref, idleMs]);
  return idle;
}
