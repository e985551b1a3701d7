import type {
  AfterIngest,
  CameraDto,
  CameraInput,
  HttpAuth,
  OperationArgs,
  RtspTransport,
  SourceType,
} from '../../../shared/contract';

/**
 * The camera form's state and its way to the contract: what `cameras.create`,
 * `cameras.update` and `cameras.test` take. Pure, so it is tested alone.
 */
export interface CameraDraft {
  name: string;
  source_type: SourceType;
  /** http snapshot or rtsp stream URL. */
  url: string;
  /** The watch folder (folder cameras). */
  folder: string;
  username: string;
  /** Shown masked when editing; the mask sent back keeps the stored password. */
  password: string;
  auth: HttpAuth;
  insecure_tls: boolean;
  transport: RtspTransport;
  after_ingest: AfterIngest;
  /** As typed: checked on save. */
  interval: string;
  generate_thumbnails: boolean;
  group: string;
  enabled: boolean;
  /** Options the form has no field for (timeouts, sizes), kept while the type stays the camera's. */
  extra: { type: SourceType; options: Record<string, unknown> } | null;
}

export const NEW_CAMERA: CameraDraft = {
  name: '',
  source_type: 'http',
  url: '',
  folder: '',
  username: '',
  password: '',
  auth: 'auto',
  insecure_tls: false,
  transport: 'tcp',
  after_ingest: 'keep',
  interval: '60',
  generate_thumbnails: true,
  group: '',
  enabled: true,
  extra: null,
};

/** The fields each source type has, beside name, interval, thumbnails and group. */
const FORM_KEYS = ['username', 'password', 'auth', 'insecure_tls', 'transport', 'after_ingest'];

export function draftOf(camera: CameraDto): CameraDraft {
  const o = camera.source_options;
  const text = (key: string) => (typeof o[key] === 'string' ? (o[key] as string) : '');
  return {
    name: camera.name,
    source_type: camera.source_type,
    url: camera.source_type === 'folder' ? '' : (camera.source_url ?? ''),
    folder: camera.source_type === 'folder' ? (camera.source_url ?? '') : '',
    username: text('username'),
    password: text('password'),
    auth: (o.auth as HttpAuth | undefined) ?? 'auto',
    insecure_tls: o.insecure_tls === true,
    transport: (o.transport as RtspTransport | undefined) ?? 'tcp',
    after_ingest: (o.after_ingest as AfterIngest | undefined) ?? 'keep',
    interval: String(camera.capture_interval_s),
    generate_thumbnails: camera.generate_thumbnails,
    group: camera.group ?? '',
    enabled: camera.enabled,
    extra: {
      type: camera.source_type,
      options: Object.fromEntries(Object.entries(o).filter(([key]) => !FORM_KEYS.includes(key))),
    },
  };
}

/** The source as the contract takes it: only the fields of the chosen type. */
export function sourceOf(
  draft: CameraDraft,
): Pick<CameraInput, 'source_type' | 'source_url' | 'source_options'> {
  const credentials = {
    username: draft.username.trim() || undefined,
    password: draft.password || undefined,
  };
  switch (draft.source_type) {
    case 'demo':
      return { source_type: 'demo', source_url: null, source_options: keepExtra(draft, 'demo') };
    case 'http':
      return {
        source_type: 'http',
        source_url: draft.url.trim(),
        source_options: {
          ...keepExtra(draft, 'http'),
          ...credentials,
          auth: draft.auth,
          insecure_tls: draft.insecure_tls || undefined,
        },
      };
    case 'rtsp':
      return {
        source_type: 'rtsp',
        source_url: draft.url.trim(),
        source_options: { ...keepExtra(draft, 'rtsp'), ...credentials, transport: draft.transport },
      };
    case 'folder':
      return {
        source_type: 'folder',
        source_url: draft.folder.trim() || null,
        source_options: { ...keepExtra(draft, 'folder'), after_ingest: draft.after_ingest },
      };
  }
}

/** Options without a field stay only while the type stays: another type has other options. */
function keepExtra(draft: CameraDraft, type: SourceType): Record<string, unknown> {
  return draft.extra?.type === type ? draft.extra.options : {};
}

export interface DraftCheck {
  input: CameraInput | null;
  errors: Partial<Record<'name' | 'url' | 'folder' | 'interval', string>>;
}

/** What the form can say before asking the core (the core checks everything again). */
export function checkDraft(draft: CameraDraft): DraftCheck {
  const errors: DraftCheck['errors'] = {};
  if (!draft.name.trim()) errors.name = 'A camera needs a name';
  const interval = Number(draft.interval);
  if (!/^\d+$/.test(draft.interval.trim()) || interval < 1 || interval > 86_400)
    errors.interval = 'Whole seconds from 1 to 86400';
  if ((draft.source_type === 'http' || draft.source_type === 'rtsp') && !draft.url.trim())
    errors.url =
      draft.source_type === 'http' ? 'The camera’s snapshot URL' : 'The camera’s stream URL';
  if (draft.source_type === 'folder' && !draft.folder.trim())
    errors.folder = 'The folder the camera uploads to';
  if (Object.keys(errors).length > 0) return { input: null, errors };
  return {
    input: {
      name: draft.name.trim(),
      ...sourceOf(draft),
      capture_interval_s: interval,
      generate_thumbnails: draft.generate_thumbnails,
      group: draft.group.trim() || null,
      enabled: draft.enabled,
    },
    errors,
  };
}

/** `cameras.test` for the draft; an edited camera's id lets a masked password stand. */
export function testArgsOf(draft: CameraDraft, cameraId?: number): OperationArgs<'cameras.test'> {
  return { ...sourceOf(draft), camera_id: cameraId, preview: true };
}
