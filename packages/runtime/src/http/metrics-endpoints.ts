import type { RequestHandler } from 'express';
import type { RequestHeaders } from '../auth/authenticator.js';
import { MethodNotAllowedError } from '../errors.js';
import { METRICS_PATH } from '../metrics/metrics-auth.js';
import { routeLabel, type KnownPaths } from '../metrics/route-label.js';
import type { RuntimeMetrics } from '../metrics/runtime-metrics.js';

/** Counts and times every answered request. */
export function httpMetrics(metrics: RuntimeMetrics, known: KnownPaths): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observeRequest(req.method, routeLabel(req.path, known), res.statusCode, seconds);
    });
    next();
  };
}

/** `GET /metrics`: the Prometheus text exposition of `metrics`, to callers `authorize` lets in. */
export function metricsEndpoint(metrics: RuntimeMetrics, authorize: (headers: RequestHeaders) => Promise<void>): RequestHandler {
  return async (req, res, next) => {
    if (req.path !== METRICS_PATH) return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new MethodNotAllowedError(req.method, req.path, ['GET']);
    await authorize(req.headers);
    const { contentType, body } = await metrics.scrape();
    res.status(200).type(contentType).send(body);
  };
}
