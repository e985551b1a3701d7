import { useEffect, useState, useSyncExternalStore } from 'react';
import { FALLBACK_CHAIN, type ImageVariant } from '../../../shared/contract';
import { useServices } from '../app/services';
import { Modal } from '../ui/Modal';
import { LiveImage } from '../wall/LiveImage';
import { FlagBadge } from './FlagBadge';
import type { FrameIndex } from './frame-index';
import { formatDateTime } from '../../../shared/reports';

export interface FrameViewerProps {
  index: FrameIndex;
  total: number;
  position: number;
  onMove(position: number): void;
  onClose(): void;
}

/** One frame at a time with the small; ← → step (the next swaps in when loaded), F the full frame. */
export function FrameViewer({ index, total, position, onMove, onClose }: FrameViewerProps) {
  const { api } = useServices();
  const [variant, setVariant] = useState<ImageVariant>('small');
  useSyncExternalStore(index.subscribe, () => index.version);
  const frame = index.frames[position];

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = { ArrowLeft: position - 1, ArrowRight: position + 1, Home: 0, End: total - 1 }[
        event.key
      ];
      if (target !== undefined && target >= 0 && target < total) {
        event.preventDefault();
        onMove(target);
      } else if (event.key === 'f' || event.key === 'F')
        setVariant((v) => (v === 'full' ? 'small' : 'full'));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [position, total, onMove]);

  const chain = frame
    ? FALLBACK_CHAIN[variant].map((v) => ({
        variant: v,
        url: api.imageUrl({ kind: 'image', id: frame.id }, v),
      }))
    : [];
  const when = frame ? formatDateTime(frame.captured_at) : '…';
  return (
    <Modal
      title={`Frame ${position + 1} of ${total}`}
      onClose={onClose}
      className={`viewer viewer-${variant}`}
    >
      <div className="viewer-stage">
        <LiveImage
          frameKey={frame ? `${frame.id}:${variant}` : null}
          chain={chain}
          alt={`Frame ${position + 1}, captured ${when}`}
        />
      </div>
      <div className="viewer-bar">
        <button type="button" onClick={() => onMove(position - 1)} disabled={position <= 0}>
          ← Previous
        </button>
        <span className="viewer-when">
          {when}
          {frame && ` · day ${frame.day_number}`}
          {frame?.flag_reason && <FlagBadge reason={frame.flag_reason} />}
        </span>
        <button
          type="button"
          onClick={() => setVariant((v) => (v === 'full' ? 'small' : 'full'))}
          aria-pressed={variant === 'full'}
        >
          {variant === 'full' ? 'Show small' : 'Open full frame'}
        </button>
        <button type="button" onClick={() => onMove(position + 1)} disabled={position >= total - 1}>
          Next →
        </button>
      </div>
    </Modal>
  );
}
