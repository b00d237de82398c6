import expressStaticGzip from 'express-static-gzip';
import * as path from 'node:path';
import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { MethodNotAllowedError, RuntimeError } from '../errors.js';

/**
 * A directory of built browser assets served under a path prefix. Each file may have a `.br`
 * and a `.gz` beside it (the UI build writes both); the one the client accepts is sent, with
 * `Vary: Accept-Encoding`.
 */
export interface StaticSite {
  /** The path prefix (`/ui`); requests under it are served from `directory`. */
  mount: string;
  directory: string;
  /**
   * A single-page app: a GET under the mount that names no file and accepts HTML is answered
   * with this file (`index.html`), so deep links like `/ui/conversations/42` load the app.
   */
  appShell?: string;
  /** Files whose names carry a content hash: cached for a year, immutable. Others are revalidated every time. */
  hashedFiles?: RegExp;
  /** Extra headers on every answer (a Content-Security-Policy). */
  headers?: Record<string, string>;
  /**
   * Paths outside the mount that redirect (302, query string kept) to a file of the site:
   * `{ '/chatplugin/demo': 'demo.html' }` sends `/chatplugin/demo?x=1` to `<mount>/demo.html?x=1`.
   */
  aliases?: Record<string, string>;
  /** When false, requests under the mount answer 503 RUNTIME_UI_NOT_BUILT with `notBuiltHint`. */
  available?: boolean;
  notBuiltHint?: string;
}

const YEAR_S = 365 * 24 * 3600;

/** One middleware for every registered site, matched by mount (longest first). */
export function staticSites(sites: readonly StaticSite[]): RequestHandler {
  const mounted = [...sites].sort((a, b) => b.mount.length - a.mount.length).map((site) => ({ site, serve: serveSite(site) }));
  const aliases = new Map(sites.flatMap((site) => Object.entries(site.aliases ?? {}).map(([from, file]) => [from, `${site.mount}/${file}`] as const)));
  return (req, res, next) => {
    const alias = aliases.get(req.path);
    if (alias !== undefined && (req.method === 'GET' || req.method === 'HEAD')) {
      const query = req.originalUrl.indexOf('?');
      return res.redirect(302, query === -1 ? alias : alias + req.originalUrl.slice(query));
    }
    const entry = mounted.find(({ site }) => req.path === site.mount || req.path.startsWith(`${site.mount}/`));
    if (entry === undefined) return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new MethodNotAllowedError(req.method, req.path, ['GET']);
    if (entry.site.available === false) throw new RuntimeError('RUNTIME_UI_NOT_BUILT', entry.site.notBuiltHint ?? `the assets under ${entry.site.mount} are not built`);
    // `/ui` → `/ui/`, so the app's relative URLs resolve under the mount.
    if (req.path === entry.site.mount) return res.redirect(301, `${entry.site.mount}/`);
    entry.serve(req, res, next);
  };
}

function serveSite(site: StaticSite): RequestHandler {
  const setHeaders = (res: ServerResponse, file: string) => {
    const hashed = site.hashedFiles?.test(path.basename(file)) === true;
    res.setHeader('Cache-Control', hashed ? `public, max-age=${YEAR_S}, immutable` : 'no-cache');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    for (const [name, value] of Object.entries(site.headers ?? {})) res.setHeader(name, value);
  };
  const files = expressStaticGzip(site.directory, {
    enableBrotli: true,
    orderPreference: ['br', 'gz'],
    index: false,
    serveStatic: { setHeaders, fallthrough: true, dotfiles: 'ignore', etag: true, lastModified: true },
  }) as RequestHandler;
  const shell = site.appShell;
  return (req, res, next) => {
    const original = req.url;
    req.url = req.url.slice(site.mount.length) || '/';
    files(req, res, (err?: unknown) => {
      if (err !== undefined) return next(err);
      // No such file: the app shell for page navigations, 404 for everything else.
      if (shell !== undefined && !path.extname(req.path) && req.accepts('html') === 'html') {
        req.url = `/${shell}`;
        return files(req, res, (again?: unknown) => {
          req.url = original;
          next(again);
        });
      }
      req.url = original;
      return next();
    });
  };
}
