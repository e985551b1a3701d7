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

/** The URL of an http or rtsp camera, with examples. */
function UrlField({
  draft,
  set,
  errors,
  label,
  placeholder,
  help,
}: FieldProps & { label: string; placeholder: string; help: ReactNode }) {
  return (
    <Field id="camera-url" label={label} error={errors.url} help={help}>
      {(describedBy) => (
        <input
          id="camera-url"
          type="url"
          value={draft.url}
          placeholder={placeholder}
          onChange={(e) => set({ url: e.target.value })}
          aria-describedby={describedBy}
          aria-invalid={errors.url ? true : undefined}
        />
      )}
    </Field>
  );
}

/** A select among a vocabulary's words, with help. */
function ChoiceField<T extends string>({
  id,
  label,
  help,
  value,
  choices,
  onChange,
}: {
  id: string;
  label: string;
  help: string;
  value: T;
  choices: readonly (readonly [T, string])[];
  onChange(value: T): void;
}) {
  return (
    <Field id={id} label={label} help={help}>
      {(describedBy) => (
        <select
          id={id}
          value={value}
          onChange={(e) => onChange(e.target.value as T)}
          aria-describedby={describedBy}
        >
          {choices.map(([choice, text]) => (
            <option key={choice} value={choice}>
              {text}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A checkbox with its help below. */
export function CheckField({
  id,
  label,
  help,
  checked,
  onChange,
}: {
  id: string;
  label: string;
  help: string;
  checked: boolean;
  onChange(checked: boolean): void;
}) {
  return (
    <div className="field">
      <label className="check" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
          aria-describedby={`${id}-help`}
        />
        {label}
      </label>
      <p id={`${id}-help`} className="hint">
        {help}
      </p>
    </div>
  );
}

function HttpFields(props: FieldProps) {
  const { draft, set } = props;
  return (
    <>
      <UrlField
        {...props}
        label="Snapshot URL"
        placeholder="http://camera/snapshot.jpg"
        help={
          <>
            e.g. <code>http://192.168.1.20/ISAPI/Streaming/channels/101/picture</code> (Hikvision),{' '}
            <code>http://192.168.1.21/cgi-bin/snapshot.cgi</code> (Dahua). https works too.
          </>
        }
      />
      <Credentials {...props} />
      <ChoiceField
        id="camera-auth"
        label="Authentication"
        help="Automatic answers what the camera asks for: basic, or digest (Hikvision, Dahua and most others). Digest only never sends the password itself."
        value={draft.auth}
        choices={[
          ['auto', 'Automatic (basic or digest)'],
          ['digest', 'Digest only'],
          ['basic', 'Basic'],
        ]}
        onChange={(auth) => set({ auth })}
      />
      <CheckField
        id="camera-insecure-tls"
        label="Accept a self-signed certificate"
        help="For https cameras with their own certificate. The connection stays encrypted, but Timelapser cannot tell the camera from an impostor on your network."
        checked={draft.insecure_tls}
        onChange={(insecure_tls) => set({ insecure_tls })}
      />
    </>
  );
}

function RtspFields(props: FieldProps) {
  const { draft, set } = props;
  return (
    <>
      <UrlField
        {...props}
        label="Stream URL"
        placeholder="rtsp://camera:554/stream"
        help={
          <>
            e.g. <code>rtsp://192.168.1.20:554/Streaming/Channels/101</code>. Needs ffmpeg on this
            machine.
          </>
        }
      />
      <Credentials {...props} />
      <ChoiceField
        id="camera-transport"
        label="Transport"
        help="TCP goes through firewalls and loses no packets; UDP is for cameras that speak only UDP."
        value={draft.transport}
        choices={[
          ['tcp', 'TCP'],
          ['udp', 'UDP'],
        ]}
        onChange={(transport) => set({ transport })}
      />
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
