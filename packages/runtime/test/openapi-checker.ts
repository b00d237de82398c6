import { expect } from 'chai';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { TestResponse } from './helpers.js';

/** A JSON Pointer segment (`/` and `~` escaped). */
export const pointerSegment = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Validates values against parts of a served OpenAPI document with ajv (2020-12, formats). */
export interface OpenApiChecker {
  /** The problems of `value` against the schema at `pointer` (`/paths/...`); empty when valid. */
  validate(pointer: string, value: unknown): string[];
  /** Asserts the document declares `res.status` for `POST /<route>` and the body matches its schema (204: no body). */
  expectDescribed(route: string, res: TestResponse): void;
}

export function openApiChecker(doc: any): OpenApiChecker {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  ajv.addSchema(doc, 'openapi');
  const validate = (pointer: string, value: unknown): string[] => {
    const check = ajv.getSchema(`openapi#${pointer}`) ?? ajv.compile({ $ref: `openapi#${pointer}` });
    return check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
  return {
    validate,
    expectDescribed(route, res) {
      const declared = doc.paths[`/${route}`].post.responses[String(res.status)];
      expect(declared, `${route} answered ${res.status}: ${res.text}`).to.not.equal(undefined);
      if (res.status === 204) {
        expect(res.text, route).to.equal('');
        expect(declared.content, route).to.equal(undefined);
        return;
      }
      expect(validate(`/paths/${pointerSegment(`/${route}`)}/post/responses/${res.status}/content/application~1json/schema`, res.json), `${route} ${res.status}`).to.deep.equal([]);
    },
  };
}
