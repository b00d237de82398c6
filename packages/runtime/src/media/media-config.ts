import { z } from 'zod';

/** An S3-compatible bucket (AWS S3, MinIO, Ceph, Cloudflare R2, …) that holds uploaded media. */
const s3Schema = z.strictObject({
  /** The bucket; it must exist (Parley does not create it). */
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name: 3-63 of a-z 0-9 . -'),
  /** The region requests are signed for. Default `us-east-1` (what MinIO and most S3-compatible stores expect). */
  region: z.string().min(1).default('us-east-1'),
  /** The store's base URL (`http://minio:9000`); default AWS S3's endpoint of `region`. */
  endpoint: z.url({ protocol: /^https?$/ }).optional(),
  /** Address the bucket in the path (`<endpoint>/<bucket>/<key>`) rather than the host name. Default true with `endpoint`, else false. */
  forcePathStyle: z.boolean().optional(),
  /** Access key id; with `secretAccessKey`. Default: the AWS SDK's chain (`AWS_ACCESS_KEY_ID`, profile, instance role). */
  accessKeyId: z.string().min(1).optional(),
  /** Secret access key; never logged, never answered. */
  secretAccessKey: z.string().min(1).optional(),
  /** Prepended to every object key (`parley/media/`). Default none. */
  prefix: z
    .string()
    .max(256)
    // No `.` or `..` segment: URL parsers (browsers, fetch) remove them, and the signed path would no longer be the one sent.
    .regex(/^((?!\.\.?\/)[A-Za-z0-9!_.*'()-]+\/)*$/, "path segments of A-Z a-z 0-9 ! _ . * ' ( ) - (not . or ..), each ending in /")
    .default(''),
  /** One request's time limit, in ms (each of the SDK's 3 attempts); past it the upload is 502. Default 30000. */
  timeoutMs: z.int().min(100).max(600_000).default(30_000),
  /**
   * A public base URL of the bucket (a CDN): `media.upload` / `media.url` answer `<publicBaseUrl>/<key>`,
   * unsigned and without expiry, instead of a presigned URL. Only for a bucket meant to be public.
   */
  publicBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
});

/** The `media` section of the configuration file: where `media.upload` stores files. */
export const mediaConfigSchema = z
  .strictObject({
    /** `local` (default): files under `<dataDir>/media/`. `s3`: objects in the `s3` bucket. */
    store: z.enum(['local', 's3']).default('local'),
    s3: s3Schema.optional(),
  })
  .superRefine((media, ctx) => {
    if (media.store === 's3' && media.s3 === undefined) ctx.addIssue({ code: 'custom', path: ['s3'], message: 'required when store is s3' });
    if (media.store !== 's3' && media.s3 !== undefined) ctx.addIssue({ code: 'custom', path: ['s3'], message: 'only used with store s3' });
    const s3 = media.s3;
    if (s3 !== undefined && (s3.accessKeyId === undefined) !== (s3.secretAccessKey === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['s3', s3.accessKeyId === undefined ? 'accessKeyId' : 'secretAccessKey'], message: 'accessKeyId and secretAccessKey go together' });
    }
  });

export type MediaConfig = z.output<typeof mediaConfigSchema>;
export type S3MediaConfig = z.output<typeof s3Schema>;
