import { memo, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { isArchiveCamera, type CameraDto } from '../../../shared/contract';
import { navigate } from '../app/router';
import { CameraFormDialog } from './CameraForm';
import { CompleteDialog, useTimelapseActions } from './TimelapseControls';

interface Item {
  label: string;
  run(): void;
}

/** A tile's menu: its camera page, edit, and its timelapse's start, stop and complete. */
export const TileMenu = memo(function TileMenu({ camera }: { camera: CameraDto }) {
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState<'edit' | 'complete' | null>(null);
  const actions = useTimelapseActions();
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const active = camera.active_timelapse_id;

  const items: Item[] = [
    { label: 'Open camera page', run: () => navigate('camera', { id: camera.id }) },
  ];
  if (!isArchiveCamera(camera)) {
    items.push({ label: 'Edit camera…', run: () => setDialog('edit') });
    if (active === null)
      items.push({ label: 'Start timelapse', run: () => void actions.start(camera) });
    else {
      items.push({ label: 'Stop timelapse', run: () => void actions.stop(active) });
      items.push({ label: 'Complete timelapse…', run: () => setDialog('complete') });
    }
  }

  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const away = (event: PointerEvent) => {
      if (!menuRef.current?.contains(event.target as Node) && event.target !== buttonRef.current)
        setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    return () => document.removeEventListener('pointerdown', away);
  }, [open]);

  const onMenuKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const entries = [
      ...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []),
    ];
    const at = entries.indexOf(document.activeElement as HTMLElement);
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (step !== 0) {
      event.preventDefault();
      entries[(at + step + entries.length) % entries.length]?.focus();
    } else if (event.key === 'Escape' || event.key === 'Tab') {
      event.stopPropagation();
      setOpen(false);
      buttonRef.current?.focus();
    }
  };

  return (
    <div className="tile-menu">
      <button
        ref={buttonRef}
        type="button"
        className="tile-menu-button"
        aria-label={`Actions for ${camera.name}`}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        ⋮
      </button>
      {open && (
        <div
          ref={menuRef}
          id={menuId}
          className="menu"
          role="menu"
          aria-label={camera.name}
          onKeyDown={onMenuKey}
        >
          {items.map((item) => (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              tabIndex={-1}
              onClick={() => {
                setOpen(false);
                item.run();
              }}
            >
              {item.label}
            </button>
          ))}
        </div>
      )}
      {actions.error && (
        <p className="tile-menu-error" role="alert">
          {actions.error}
        </p>
      )}
      {dialog === 'edit' && (
        <CameraFormDialog
          camera={camera}
          onSaved={() => setDialog(null)}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'complete' && active !== null && (
        <CompleteDialog
          what={`the active timelapse of ${camera.name}`}
          onConfirm={() => void actions.complete(active)}
          onClose={() => setDialog(null)}
        />
      )}
    </div>
  );
});
