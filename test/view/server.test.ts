/**
 * The view server's guard rails: loopback only, a fixed table of responses, no path
 * traversal (raw or percent-encoded), and no answer to a Host that is not its own loopback
 * host:port (DNS rebinding).
 */
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAssets } from '../../src/view/page.js';
import { recordView } from '../../src/view/record.js';
import { requestPath, startViewServer, type ViewServer } from '../../src/view/server.js';
import type { ViewData } from '../../src/view/view-data.js';
import { loadScenario } from '../../src/workload/scenario/load.js';

/** Send raw request bytes to host:port; the status code of the answer (or the connect error code). */
function raw(port: number, text: string, host = '127.0.0.1'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port });
    let got = '';
    sock.on('data', (d) => {
      got += d.toString('utf8');
    });
    sock.on('end', () => {
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(got)?.[1] ?? 0);
      resolve({ status, body: got.slice(got.indexOf('\r\n\r\n') + 4) });
    });
    sock.on('error', reject);
    sock.write(text.replace(/\n/g, '\r\n'));
  });
}

function get(port: number, path: string, host = `127.0.0.1:${port}`) {
  return raw(port, `GET ${path} HTTP/1.1\nHost: ${host}\nConnection: close\n\n`);
}

describe('view server', () => {
  let server: ViewServer;
  let data: ViewData;

  beforeAll(async () => {
    data = recordView(loadScenario('builtin:review-thread'), { mutations: ['review-downgrade-wake-one'] });
    server = await startViewServer(data, loadAssets());
  });
  afterAll(() => server.close());

  it('listens on 127.0.0.1 at a free port and serves the page, its assets and the run', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    expect(server.port).toBeGreaterThan(0);
    for (const path of ['/', '/index.html', '/app.js', '/app.css', '/run.json'])
      expect((await get(server.port, path)).status, path).toBe(200);
    expect(JSON.parse((await get(server.port, '/run.json')).body)).toEqual(data);
    expect((await get(server.port, '/', `localhost:${server.port}`)).status).toBe(200);
    expect(
      (await raw(server.port, `HEAD /app.js HTTP/1.1\nHost: 127.0.0.1:${server.port}\nConnection: close\n\n`))
        .status,
    ).toBe(200);
  });

  it("refuses other hosts' interfaces: nothing listens on a non-loopback address", async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i !== undefined && !i.internal && i.family === 'IPv4');
    if (external === undefined) {
      console.warn(
        'view server test: no non-loopback IPv4 interface on this machine; checked the bound address only',
      );
    } else {
      await expect(raw(server.port, 'GET / HTTP/1.1\n\n', external.address)).rejects.toMatchObject({
        code: 'ECONNREFUSED',
      });
    }
  });

  it('rejects a Host that is not its own loopback host:port (DNS rebinding), with 403', async () => {
    const p = server.port;
    for (const host of [
      `evil.example:${p}`,
      'evil.example',
      `127.0.0.1:${p + 1}`,
      `127.0.0.2:${p}`,
      `[::1]:${p}`,
    ])
      expect((await get(p, '/run.json', host)).status, host).toBe(403);
    expect((await raw(p, 'GET /run.json HTTP/1.0\n\n')).status).toBe(403);
  });

  it('rejects path traversal, raw or encoded (400), and anything outside its table (404)', async () => {
    const p = server.port;
    for (const path of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/%2E%2E%2Fpackage.json',
      '/..%2fpackage.json',
      '/app.js/../../package.json',
      '/%5c..%5cpackage.json',
      '/..\\package.json',
      '/%00',
      '/%zz',
    ])
      expect((await get(p, path)).status, path).toBe(400);
    for (const path of [
      '/package.json',
      '/dist/web/app.js',
      '/web/src/main.tsx',
      '/run.json/x',
      '/%2fetc%2fpasswd',
    ])
      expect((await get(p, path)).status, path).toBe(404);
    expect(
      (
        await raw(
          p,
          `POST /run.json HTTP/1.1\nHost: 127.0.0.1:${p}\nContent-Length: 0\nConnection: close\n\n`,
        )
      ).status,
    ).toBe(405);
  });

  it('requestPath: decoded path, or null for any way out of the table', () => {
    expect(requestPath('/run.json?x=1')).toBe('/run.json');
    expect(requestPath('/app%2ejs')).toBe('/app.js');
    for (const bad of ['..', 'run.json', '/a/..', '/%2e%2e', '/%5c', '/%', '/a%00b'])
      expect(requestPath(bad), bad).toBeNull();
  });
});
