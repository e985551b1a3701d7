import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A camera's snapshot URL on 127.0.0.1, as Hikvision, Dahua or Reolink serve
 * one: a JPEG per GET, behind basic or digest authentication (RFC 7616, the
 * server side written here from the RFC, independently of the client), on
 * http or https with a self-signed certificate made by openssl.
 */
export interface SnapshotCameraOptions {
  /** The frame served (called per request, so it may change). */
  frame: () => Buffer | Promise<Buffer>;
  auth?: {
    scheme: 'basic' | 'digest';
    username: string;
    password: string;
    /** Digest: MD5 (default), SHA-256, MD5-sess, … */
    algorithm?: string;
    /** Digest: a nonce lives for this many requests, then answers stale=true. */
    nonceUses?: number;
  };
  tls?: boolean;
  /** Each answer a different picture, as a real camera's clock overlay makes it (a JPEG comment with the request's number). */
  distinct?: boolean;
}

export interface SnapshotCamera {
  /** The snapshot URL (path /snapshot.jpg). */
  url: string;
  /** Requests seen, with whether they were let in. */
  requests: { authorization: string | undefined; status: number }[];
  close(): Promise<void>;
}

const HASH: Record<string, string> = {
  MD5: 'md5',
  'SHA-256': 'sha256',
  'SHA-512-256': 'sha512-256',
};

export async function startSnapshotCamera(options: SnapshotCameraOptions): Promise<SnapshotCamera> {
  const requests: SnapshotCamera['requests'] = [];
  const nonces = new Map<string, number>();
  const algorithm = options.auth?.algorithm ?? 'MD5';
  const hash = (text: string) =>
    createHash(HASH[algorithm.replace(/-sess$/, '')]!)
      .update(text)
      .digest('hex');

  const challenge = (stale: boolean) => {
    if (options.auth?.scheme === 'basic') return 'Basic realm="IP Camera", charset="UTF-8"';
    const nonce = randomBytes(12).toString('hex');
    nonces.set(nonce, 0);
    return `Digest realm="IP Camera", qop="auth,auth-int", nonce="${nonce}", opaque="0a1b2c", algorithm=${algorithm}${stale ? ', stale=TRUE' : ''}`;
  };

  /** True, false, or 'stale' for a right answer to a worn-out nonce. */
  const allowed = (req: IncomingMessage): boolean | 'stale' => {
    const auth = options.auth;
    if (!auth) return true;
    const header = req.headers.authorization;
    if (!header) return false;
    if (auth.scheme === 'basic')
      return (
        header === `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
      );
    if (!header.startsWith('Digest ')) return false;
    const field = (name: string) =>
      new RegExp(`(?:^|[ ,])${name}=(?:"([^"]*)"|([^,\\s]*))`)
        .exec(header.slice(7))
        ?.slice(1)
        .find((v) => v !== undefined);
    const nonce = field('nonce') ?? '';
    const uses = nonces.get(nonce);
    if (uses === undefined || field('username') !== auth.username || field('uri') !== req.url)
      return false;
    if (field('algorithm') !== algorithm || field('opaque') !== '0a1b2c') return false;
    const [nc, cnonce, qop] = [field('nc') ?? '', field('cnonce') ?? '', field('qop') ?? ''];
    let ha1 = hash(`${auth.username}:IP Camera:${auth.password}`);
    if (algorithm.endsWith('-sess')) ha1 = hash(`${ha1}:${nonce}:${cnonce}`);
    const ha2 = hash(`${req.method}:${req.url}`);
    if (
      qop !== 'auth' ||
      field('response') !== hash(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`)
    )
      return false;
    if (Number.parseInt(nc, 16) <= uses) return false; // a replayed count
    nonces.set(nonce, Number.parseInt(nc, 16));
    return Number.parseInt(nc, 16) > (auth.nonceUses ?? Infinity) ? 'stale' : true;
  };

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const verdict = allowed(req);
    if (verdict !== true) {
      requests.push({ authorization: req.headers.authorization, status: 401 });
      res
        .writeHead(401, {
          'www-authenticate': challenge(verdict === 'stale'),
          'content-type': 'text/html',
        })
        .end('<h1>401 Unauthorized</h1>');
      return;
    }
    requests.push({ authorization: req.headers.authorization, status: 200 });
    const frame = await options.frame();
    const bytes = options.distinct ? stamped(frame, requests.length) : frame;
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': bytes.length }).end(bytes);
  };

  const server = options.tls
    ? createHttpsServer(selfSignedCertificate(), (req, res) => void handler(req, res))
    : createHttpServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/snapshot.jpg`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The frame with a JPEG comment naming the request: a real camera's snapshot
 * always differs (its clock overlay), and the library stores a picture it
 * already has only once.
 */
function stamped(jpeg: Buffer, request: number): Buffer {
  const text = Buffer.from(`snapshot ${request}`);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(text.length + 2);
  return Buffer.concat([
    jpeg.subarray(0, 2),
    Buffer.from([0xff, 0xfe]),
    length,
    text,
    jpeg.subarray(2),
  ]);
}

/** A fresh self-signed certificate for 127.0.0.1 (openssl; CI installs it). */
export function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'timelapser-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
