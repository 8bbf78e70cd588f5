/**
 * The `daxsim view` HTTP server: the page, its two assets and the run's JSON, on the
 * loopback interface only.
 *
 * Invariants:
 * - It listens on 127.0.0.1 and nowhere else; it answers only requests whose Host header
 *   names that address (or localhost) with its own port, so a page on another origin that
 *   rebinds a DNS name to 127.0.0.1 gets 403 (DNS-rebinding protection).
 * - It serves a fixed table of in-memory responses and never touches the file system by
 *   request path: a path with `..`, a backslash, a NUL or an undecodable escape, raw or
 *   percent-decoded, is 400; any other unknown path is 404; methods other than GET/HEAD 405.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { servedHtml, type ViewAssets } from './page.js';
import type { ViewData } from './view-data.js';

/** The only interface the server listens on. */
export const VIEW_HOST = '127.0.0.1';

/** A running view server. */
export interface ViewServer {
  readonly url: string;
  readonly port: number;
  /** Stop listening and drop open connections. */
  close(): Promise<void>;
}

interface Resource {
  type: string;
  body: Buffer;
}

const SERVED_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:";

function resources(data: ViewData, assets: ViewAssets): Map<string, Resource> {
  const html: Resource = {
    type: 'text/html; charset=utf-8',
    body: Buffer.from(servedHtml(data.scenario.name)),
  };
  return new Map([
    ['/', html],
    ['/index.html', html],
    ['/app.js', { type: 'text/javascript; charset=utf-8', body: Buffer.from(assets.js) }],
    ['/app.css', { type: 'text/css; charset=utf-8', body: Buffer.from(assets.css) }],
    ['/run.json', { type: 'application/json; charset=utf-8', body: Buffer.from(JSON.stringify(data)) }],
  ]);
}

/** The path of a request target, or null when it tries to leave the table (traversal, bad escapes). */
export function requestPath(target: string): string | null {
  const raw = target.split(/[?#]/, 1)[0]!;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  const bad = (p: string) => !p.startsWith('/') || p.includes('..') || p.includes('\\') || p.includes('\0');
  return bad(raw) || bad(decoded) ? null : decoded;
}

function send(res: ServerResponse, status: number, r: Resource, head: boolean): void {
  res.writeHead(status, {
    'Content-Type': r.type,
    'Content-Length': r.body.length,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Content-Security-Policy': SERVED_CSP,
  });
  res.end(head ? undefined : r.body);
}

function respond(
  table: Map<string, Resource>,
  hosts: readonly string[],
  req: IncomingMessage,
): [number, Resource] {
  const text = (t: string): Resource => ({ type: 'text/plain; charset=utf-8', body: Buffer.from(`${t}\n`) });
  if (!hosts.includes(req.headers.host ?? '')) return [403, text('forbidden host')];
  if (req.method !== 'GET' && req.method !== 'HEAD') return [405, text('method not allowed')];
  const path = requestPath(req.url ?? '');
  if (path === null) return [400, text('bad path')];
  const r = table.get(path);
  return r === undefined ? [404, text('not found')] : [200, r];
}

/** Serve one recorded run on 127.0.0.1:`port` (0: any free port). */
export function startViewServer(data: ViewData, assets: ViewAssets, port = 0): Promise<ViewServer> {
  let hosts: string[] = [];
  const table = resources(data, assets);
  const server: Server = createServer((req, res) => {
    const [status, r] = respond(table, hosts, req);
    send(res, status, r, req.method === 'HEAD');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, VIEW_HOST, () => {
      server.off('error', reject);
      const bound = (server.address() as AddressInfo).port;
      hosts = [`${VIEW_HOST}:${bound}`, `localhost:${bound}`];
      resolve({
        url: `http://${VIEW_HOST}:${bound}/`,
        port: bound,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
