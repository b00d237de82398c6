/**
 * Confluent's schema-registry wire format, which Airy's Avro serdes wrote: byte 0 is the magic
 * 0x00, bytes 1-4 the big-endian id of the writer schema in the registry, then the Avro binary
 * body. The id numbers a (subject, version) in Airy's registry; the importer has no registry, so
 * it reads every body with the schema of its topic (§2) and reports the ids it met.
 */

const MAGIC = 0x00;
export const CONFLUENT_HEADER_LENGTH = 5;

/** The schema id and where the body starts; undefined when the bytes are not framed this way. */
export function readConfluentFrame(bytes: Buffer): { schemaId: number; bodyOffset: number } | undefined {
  if (bytes.length < CONFLUENT_HEADER_LENGTH || bytes[0] !== MAGIC) return undefined;
  return { schemaId: bytes.readUInt32BE(1), bodyOffset: CONFLUENT_HEADER_LENGTH };
}

/** Frames an Avro body as Confluent's serializer does (tests write Airy's records with it). */
export function confluentFrame(schemaId: number, body: Buffer): Buffer {
  const header = Buffer.alloc(CONFLUENT_HEADER_LENGTH);
  header[0] = MAGIC;
  header.writeUInt32BE(schemaId, 1);
  return Buffer.concat([header, body]);
}
