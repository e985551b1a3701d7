import { flushBatch } from '../../src/renderer/src/app/batch';
import {
  imageHttpUrls,
  type CameraDto,
  type ImageDto,
  type OperationName,
  type CoreEvent,
  type CoreEventBody,
} from '../../src/shared/contract';
import {
  ApiError,
  type ConnectionState,
  type Transport,
} from '../../src/renderer/src/api/transport';
import { createApi, type Api } from '../../src/renderer/src/api/client';

type Handler = (args: Record<string, unknown>) => unknown;

/**
 * The renderer's transport boundary driven by the test: answers operations
 * from handlers the test sets, records every call, and pushes events and
 * connection changes into the subscribers like IPC or SSE would.
 */
export class TestTransport implements Transport {
  readonly calls: { operation: string; args: Record<string, unknown> }[] = [];
  private readonly handlers = new Map<string, Handler>();
  private readonly subscribers = new Set<{
    onEvent(e: CoreEvent): void;
    onState(s: ConnectionState): void;
  }>();

  handle(operation: OperationName, handler: Handler): this {
    this.handlers.set(operation, handler);
    return this;
  }

  async invoke(operation: string, args?: unknown): Promise<unknown> {
    const record = (args ?? {}) as Record<string, unknown>;
    this.calls.push({ operation, args: record });
    const handler = this.handlers.get(operation);
    if (!handler) throw new ApiError(`no handler for ${operation}`, 501);
    return handler(record);
  }

  subscribe(onEvent: (e: CoreEvent) => void, onState: (s: ConnectionState) => void): () => void {
    const subscriber = { onEvent, onState };
    this.subscribers.add(subscriber);
    onState('open');
    return () => this.subscribers.delete(subscriber);
  }

  imageUrl(target: { kind: 'image' | 'camera'; id: number }, variant: string): string {
    return `test://${target.kind}/${target.id}/${variant}`;
  }

  videoUrl(videoId: number, download = false): string {
    return `test://video/${videoId}${download ? '?download=1' : ''}`;
  }

  /**
   * Stamps the event's time as the core's event bus does, delivers it as the
   * stream would, and the UI's batch with it (no 200 ms wait in tests).
   */
  emit(body: CoreEventBody): void {
    const event = { ...body, timestamp: new Date().toISOString() } as CoreEvent;
    for (const subscriber of this.subscribers) subscriber.onEvent(event);
    flushBatch();
  }

  setState(state: ConnectionState): void {
    for (const subscriber of this.subscribers) subscriber.onState(state);
  }

  callsOf(operation: OperationName): Record<string, unknown>[] {
    return this.calls.filter((call) => call.operation === operation).map((call) => call.args);
  }

  api(): Api {
    return createApi(this);
  }
}

export function imageDto(id: number, cameraId: number, capturedAt: string): ImageDto {
  return {
    id,
    camera_id: cameraId,
    timelapse_id: cameraId,
    captured_at: capturedAt,
    day_number: 1,
    file_size: 1000,
    width: 640,
    height: 480,
    has_thumbnail: true,
    has_small: true,
    thumbnail_size: 100,
    small_size: 500,
    is_flagged: false,
    flag_reason: null,
    etag: `"image-${id}-0"`,
    urls: imageHttpUrls(id),
  };
}

export function cameraDto(id: number, patch: Partial<CameraDto> = {}): CameraDto {
  const capturedAt = patch.last_capture_at ?? '2026-01-01T12:00:00.000Z';
  return {
    id,
    name: `Cam ${id}`,
    source_type: 'demo',
    source_url: null,
    source_options: {},
    capture_interval_s: 10,
    generate_thumbnails: true,
    enabled: true,
    group: null,
    sort_order: id,
    last_capture_at: capturedAt,
    last_error: null,
    rejected_frames: 0,
    rejections_since_last_frame: 0,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    active_timelapse_id: id,
    latest_image: imageDto(id * 100, id, capturedAt),
    capture: null,
    ...patch,
  };
}
