import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CaptureSourceError } from '../../src/main/capture/errors';
import { parseChallenges } from '../../src/main/capture/sources/digest-auth';
import { HttpSource } from '../../src/main/capture/sources/http-source';
import { cameraLikeJpeg } from '../helpers/temp-library';
import {
  startSnapshotCamera,
  type SnapshotCamera,
  type SnapshotCameraOptions,
} from '../helpers/snapshot-camera';

const never = new AbortController().signal;
const VIEWER = { username: 'admin', password: 'Cam3ra!pass' };

describe('http camera authentication and https', () => {
  let frame: Buffer;
  const cameras: SnapshotCamera[] = [];
  beforeAll(async () => {
    frame = await cameraLikeJpeg(640, 480, 21);
  });
  afterEach(async () => {
    for (const camera of cameras.splice(0)) await camera.close();
  });
  const camera = async (options: Omit<SnapshotCameraOptions, 'frame'>) => {
    const started = await startSnapshotCamera({ frame: () => frame, ...options });
    cameras.push(started);
    return started;
  };
  const failure = async (source: HttpSource): Promise<CaptureSourceError> => {
    const error = await source.grab(never).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CaptureSourceError);
    return error as CaptureSourceError;
  };

  it.each(['MD5', 'SHA-256', 'MD5-sess', 'SHA-512-256'])(
    'answers a %s digest challenge, then asks once per frame on the same nonce',
    async (algorithm) => {
      const cam = await camera({ auth: { scheme: 'digest', algorithm, ...VIEWER } });
      const source = new HttpSource(cam.url, VIEWER);
      for (let i = 0; i < 3; i++) expect((await source.grab(never)).equals(frame)).toBe(true);
      // The first frame meets the challenge; the next two reuse the nonce with a higher count.
      expect(cam.requests.map((r) => r.status)).toEqual([401, 200, 200, 200]);
      expect(cam.requests[3]!.authorization).toMatch(/nc=00000003/);
      expect(cam.requests[1]!.authorization).not.toContain(VIEWER.password);
    },
  );

  it('takes digest credentials from the URL too, and renews a stale nonce without failing a frame', async () => {
    const cam = await camera({ auth: { scheme: 'digest', nonceUses: 2, ...VIEWER } });
    const url = cam.url.replace(
      '//',
      `//${VIEWER.username}:${encodeURIComponent(VIEWER.password)}@`,
    );
    const source = new HttpSource(url);
    for (let i = 0; i < 4; i++) expect((await source.grab(never)).equals(frame)).toBe(true);
    expect(cam.requests.map((r) => r.status)).toEqual([401, 200, 200, 401, 200, 200]);
  });

  it('answers basic challenges, and sends basic up front when set to basic', async () => {
    const cam = await camera({ auth: { scheme: 'basic', ...VIEWER } });
    expect((await new HttpSource(cam.url, VIEWER).grab(never)).equals(frame)).toBe(true);
    expect(cam.requests.map((r) => r.status)).toEqual([401, 200]);
    cam.requests.length = 0;
    expect(
      (await new HttpSource(cam.url, { ...VIEWER, auth: 'basic' }).grab(never)).equals(frame),
    ).toBe(true);
    expect(cam.requests.map((r) => r.status)).toEqual([200]);
  });

  it('says plainly when the password is wrong or missing (401), for both kinds', async () => {
    for (const scheme of ['basic', 'digest'] as const) {
      const cam = await camera({ auth: { scheme, ...VIEWER } });
      const wrong = await failure(
        new HttpSource(cam.url, { username: 'admin', password: 'guess' }),
      );
      expect([wrong.code, wrong.statusCode, wrong.details.status]).toEqual([
        'source_auth',
        502,
        401,
      ]);
      expect(wrong.message).toBe(
        `the camera refused the user name or password (HTTP 401, ${scheme})`,
      );
      const none = await failure(new HttpSource(cam.url));
      expect(none.message).toBe(
        `the camera asks for a user name and password (HTTP 401, ${scheme})`,
      );
    }
  });

  it('never sends the password itself to a basic-only camera when set to digest', async () => {
    const cam = await camera({ auth: { scheme: 'basic', ...VIEWER } });
    const refused = await failure(new HttpSource(cam.url, { ...VIEWER, auth: 'digest' }));
    expect(refused.message).toMatch(
      /asks for basic authentication, but this camera is set to digest only/,
    );
    expect(cam.requests.map((r) => r.authorization)).toEqual([undefined]);
  });

  it('refuses a self-signed https certificate unless told to accept it', async () => {
    const cam = await camera({ tls: true, auth: { scheme: 'digest', ...VIEWER } });
    const untrusted = await failure(new HttpSource(cam.url, VIEWER));
    expect(untrusted.code).toBe('source_unreachable');
    expect(untrusted.message).toMatch(
      /https certificate is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\).*accept self-signed certificate/,
    );
    const trusting = new HttpSource(cam.url, { ...VIEWER, insecure_tls: true });
    expect((await trusting.grab(never)).equals(frame)).toBe(true);
  });

  it('names DNS failures and refused connections', async () => {
    const dns = await failure(
      new HttpSource('http://camera.invalid/snapshot.jpg', { timeout_ms: 5_000 }),
    );
    expect(dns.message).toMatch(
      /^snapshot request failed: cannot find host "camera.invalid" \(DNS lookup failed, E\w+\)$/,
    );
    const cam = await camera({});
    await cam.close();
    const refused = await failure(new HttpSource(cam.url));
    expect(refused.message).toMatch(
      /connection refused by 127\.0\.0\.1:\d+: nothing listens there \(ECONNREFUSED\)/,
    );
  });
});

describe('WWW-Authenticate parsing', () => {
  it('splits joined challenges and reads quoted values with commas and escapes', () => {
    expect(
      parseChallenges(
        'Digest realm="a, b", nonce="n\\"1", qop="auth,auth-int", algorithm=SHA-256, Basic realm="x"',
      ),
    ).toEqual([
      {
        scheme: 'digest',
        params: { realm: 'a, b', nonce: 'n"1', qop: 'auth,auth-int', algorithm: 'SHA-256' },
      },
      { scheme: 'basic', params: { realm: 'x' } },
    ]);
    expect(parseChallenges(null)).toEqual([]);
  });
});
