import type { ReactNode } from 'react';
import type { SourceType } from '../../../shared/contract';
import { SOURCE_LABEL } from '../../../shared/reports';
import type { CameraDraft } from './camera-form';

export interface FieldProps {
  draft: CameraDraft;
  set(patch: Partial<CameraDraft>): void;
  errors: Partial<Record<string, string>>;
  /** An edited camera: its password shows masked. */
  editing: boolean;
}

export const SOURCE_CHOICES: { type: SourceType; label: string; help: string }[] = [
  {
    type: 'http',
    label: SOURCE_LABEL.http,
    help: 'The camera serves one JPEG per request: most IP cameras (Hikvision, Dahua, Reolink, Axis) have a snapshot URL.',
  },
  {
    type: 'rtsp',
    label: SOURCE_LABEL.rtsp,
    help: 'The camera’s video stream; the system’s ffmpeg takes one frame per capture.',
  },
  {
    type: 'folder',
    label: SOURCE_LABEL.folder,
    help: 'A folder the camera’s FTP upload or another recorder fills with JPEGs.',
  },
  {
    type: 'demo',
    label: SOURCE_LABEL.demo,
    help: 'A synthesized street scene with a clock: try Timelapser without a camera.',
  },
];

/** One labelled input with its help and its error, tied together for screen readers. */
export function Field({
  id,
  label,
  help,
  error,
  children,
}: {
  id: string;
  label: string;
  help?: ReactNode;
  error?: string;
  children(describedBy: string): ReactNode;
}) {
  const describedBy = [help ? `${id}-help` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children(describedBy)}
      {help && (
        <p id={`${id}-help`} className="hint">
          {help}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="error-text">
          {error}
        </p>
      )}
    </div>
  );
}

/** The fields of the chosen source type. */
export function SourceFields(props: FieldProps) {
  switch (props.draft.source_type) {
    case 'http':
      return <HttpFields {...props} />;
    case 'rtsp':
      return <RtspFields {...props} />;
    case 'folder':
      return <FolderFields {...props} />;
    case 'demo':
      return null;
  }
}

function HttpFields(props: FieldProps) {
  const { draft, set, errors } = props;
  return (
    <>
      <Field
        id="camera-url"
        label="Snapshot URL"
        error={errors.url}
        help={
          <>
            e.g. <code>http://192.168.1.20/ISAPI/Streaming/channels/101/picture</code> (Hikvision),{' '}
            <code>http://192.168.1.21/cgi-bin/snapshot.cgi</code> (Dahua). https works too.
          </>
        }
      >
        {(describedBy) => (
          <input
            id="camera-url"
            type="url"
            value={draft.url}
            placeholder="http://camera/snapshot.jpg"
            onChange={(e) => set({ url: e.target.value })}
            aria-describedby={describedBy}
            aria-invalid={errors.url ? true : undefined}
          />
        )}
      </Field>
      <Credentials {...props} />
      <Field
        id="camera-auth"
        label="Authentication"
        help="Automatic answers what the camera asks for: basic, or digest (Hikvision, Dahua and most others). Digest only never sends the password itself."
      >
        {(describedBy) => (
          <select
            id="camera-auth"
            value={draft.auth}
            onChange={(e) => set({ auth: e.target.value as CameraDraft['auth'] })}
            aria-describedby={describedBy}
          >
            <option value="auto">Automatic (basic or digest)</option>
            <option value="digest">Digest only</option>
            <option value="basic">Basic</option>
          </select>
        )}
      </Field>
      <div className="field">
        <label className="check" htmlFor="camera-insecure-tls">
          <input
            id="camera-insecure-tls"
            type="checkbox"
            checked={draft.insecure_tls}
            onChange={(e) => set({ insecure_tls: e.target.checked })}
            aria-describedby="camera-insecure-tls-help"
          />
          Accept a self-signed certificate
        </label>
        <p id="camera-insecure-tls-help" className="hint">
          For https cameras with their own certificate. The connection stays encrypted, but
          Timelapser cannot tell the camera from an impostor on your network.
        </p>
      </div>
    </>
  );
}

function RtspFields(props: FieldProps) {
  const { draft, set, errors } = props;
  return (
    <>
      <Field
        id="camera-url"
        label="Stream URL"
        error={errors.url}
        help={
          <>
            e.g. <code>rtsp://192.168.1.20:554/Streaming/Channels/101</code>. Needs ffmpeg on this
            machine.
          </>
        }
      >
        {(describedBy) => (
          <input
            id="camera-url"
            type="url"
            value={draft.url}
            placeholder="rtsp://camera:554/stream"
            onChange={(e) => set({ url: e.target.value })}
            aria-describedby={describedBy}
            aria-invalid={errors.url ? true : undefined}
          />
        )}
      </Field>
      <Credentials {...props} />
      <Field
        id="camera-transport"
        label="Transport"
        help="TCP goes through firewalls and loses no packets; UDP is for cameras that speak only UDP."
      >
        {(describedBy) => (
          <select
            id="camera-transport"
            value={draft.transport}
            onChange={(e) => set({ transport: e.target.value as CameraDraft['transport'] })}
            aria-describedby={describedBy}
          >
            <option value="tcp">TCP</option>
            <option value="udp">UDP</option>
          </select>
        )}
      </Field>
    </>
  );
}

function Credentials({ draft, set, editing }: FieldProps) {
  return (
    <div className="field-row">
      <Field id="camera-username" label="User">
        {() => (
          <input
            id="camera-username"
            autoComplete="off"
            value={draft.username}
            onChange={(e) => set({ username: e.target.value })}
          />
        )}
      </Field>
      <Field
        id="camera-password"
        label="Password"
        help={editing && draft.password ? 'Saved; type to replace it.' : undefined}
      >
        {(describedBy) => (
          <input
            id="camera-password"
            type="password"
            autoComplete="new-password"
            value={draft.password}
            onChange={(e) => set({ password: e.target.value })}
            aria-describedby={describedBy || undefined}
          />
        )}
      </Field>
    </div>
  );
}

function FolderFields({ draft, set, errors }: FieldProps) {
  return (
    <>
      <Field
        id="camera-folder"
        label="Folder"
        error={errors.folder}
        help="An absolute path on this machine, outside the library, e.g. /srv/ftp/driveway. Each JPEG is taken once it stops changing."
      >
        {(describedBy) => (
          <input
            id="camera-folder"
            value={draft.folder}
            placeholder="/srv/ftp/camera"
            onChange={(e) => set({ folder: e.target.value })}
            aria-describedby={describedBy}
            aria-invalid={errors.folder ? true : undefined}
          />
        )}
      </Field>
      <fieldset className="field choices">
        <legend>The folder’s files, once stored</legend>
        <label className="check">
          <input
            type="radio"
            name="after-ingest"
            value="keep"
            checked={draft.after_ingest === 'keep'}
            onChange={() => set({ after_ingest: 'keep' })}
          />
          <span>
            Keep them <span className="muted">(default)</span>
            <span className="hint">
              Your files stay; the library holds a copy, so each frame takes disk space twice.
            </span>
          </span>
        </label>
        <label className="check">
          <input
            type="radio"
            name="after-ingest"
            value="delete"
            checked={draft.after_ingest === 'delete'}
            onChange={() => set({ after_ingest: 'delete' })}
          />
          <span>
            Delete each after ingest
            <span className="hint">
              A file is deleted once its frame is safely in the library. Only for an inbox nothing
              else reads.
            </span>
          </span>
        </label>
      </fieldset>
    </>
  );
}
