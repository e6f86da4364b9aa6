import { type Snapshot, snapshotSchema } from "./snapshot.js";

/** A snapshot file that cannot be diagnosed: not JSON, or JSON that is not a vpce-doctor snapshot. */
export class SnapshotFileError extends Error {
  override name = "SnapshotFileError";
}

/** Parses and validates snapshot JSON text, naming the first field at fault. */
export function parseSnapshot(text: string, fileName: string): Snapshot {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SnapshotFileError(
      `${fileName} is not JSON (${(error as Error).message}); give a file saved with --save-snapshot`,
    );
  }
  const parsed = snapshotSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SnapshotFileError(
      `${fileName} is not a vpce-doctor snapshot: ${issue.path.join(".") || "(top level)"}: ${issue.message}; give a file saved with --save-snapshot`,
    );
  }
  return parsed.data;
}
