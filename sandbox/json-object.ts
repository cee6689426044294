/** The sandbox's one JSON shape check: a non-null, non-array object (request bodies, spec nodes, admin payloads). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
