import { useState } from 'react';
import { CameraFormDialog } from './CameraForm';

/** "Add camera": the form in a dialog; the new tile joins the wall once saved. */
export function AddCameraButton({ className }: { className?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={className} onClick={() => setOpen(true)}>
        Add camera
      </button>
      {open && <CameraFormDialog onClose={() => setOpen(false)} onSaved={() => setOpen(false)} />}
    </>
  );
}
