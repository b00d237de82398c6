/**
 * The stored form of a record that carries a webhook body (a job of the delivery queue, an event of
 * `webhooks.events`): `<compact JSON of the other fields>\n<body>`. The body, itself JSON, is kept
 * as it is rather than escaped into a JSON string of the record: it was serialized once, when the
 * event was made, and is signed and sent as those same bytes. JSON.stringify never writes a raw
 * newline, so the first one ends the fields; a record without one is the earlier form, a single
 * JSON object with a `body`-like field, and is read as such.
 */

export function frameBody(fields: object, body: string): string {
  return `${JSON.stringify(fields)}\n${body}`;
}

/** The fields and the body of a framed record, or undefined for a record in the earlier, all-JSON form. */
export function unframeBody<T>(text: string): { fields: T; body: string } | undefined {
  const end = text.indexOf('\n');
  if (end < 0) return undefined;
  return { fields: JSON.parse(text.slice(0, end)) as T, body: text.slice(end + 1) };
}
